using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Hosting;

/// <summary>
/// Before the host starts: the embedded SQLite file needs a data folder SalesFlow can write. Without this check an
/// unwritable folder surfaced as an unhandled-exception dump from whichever service opened the database first.
/// </summary>
public static class DataDirectoryCheck
{
    public const int ExitCode = 2;

    /// <summary>One line naming the folder and the setting when the folder cannot be written; null when it can or no embedded adapter uses it.</summary>
    public static string? Problem(IConfiguration configuration)
    {
        var usesDataDir = !string.Equals(configuration["SalesFlow:Store"]?.Trim(), AdapterExtensions.Cosmos, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(configuration["SalesFlow:Queue"]?.Trim(), AdapterExtensions.Storage, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(configuration["Knowledge:Index"]?.Trim(), "azuresearch", StringComparison.OrdinalIgnoreCase);
        if (!usesDataDir)
        {
            return null;
        }

        var dataDir = configuration["SalesFlow:DataDir"] is { Length: > 0 } configured ? configured : new SalesFlowOptions().DataDir;
        string path;
        try
        {
            path = Path.GetFullPath(dataDir);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Line(dataDir, e);
        }

        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            var database = Path.Combine(path, "salesflow.db");
            if (File.Exists(database))
            {
                using var _ = new FileStream(database, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Line(path, e);
        }
    }

    private static string Line(string path, Exception e) =>
        $"SalesFlow cannot write its data folder '{path}' ({e.Message.ReplaceLineEndings(" ").Trim()}); set SALESFLOW_DATA_DIR (or SalesFlow:DataDir) to a folder it can write.";
}
