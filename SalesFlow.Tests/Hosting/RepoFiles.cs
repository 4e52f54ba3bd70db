using System.Text.RegularExpressions;

namespace SalesFlow.Tests.Hosting;

/// <summary>Files of this repository, found by walking up from the test binaries to SalesFlow.sln.</summary>
internal static partial class RepoFiles
{
    public static string Root { get; } = Support.RepoPaths.Root;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>Every Bicep file under infra/, keyed by its path relative to the repository root.</summary>
    public static IReadOnlyDictionary<string, string> Bicep() =>
        Directory.EnumerateFiles(PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Root, f).Replace('\\', '/'), File.ReadAllText);

    /// <summary>
    /// The app settings infra/app/api.bicep gives the function app: the <c>name: '…'</c> / <c>value: …</c>
    /// entries of the <c>appSettings: [ … ]</c> array (values as Bicep source text).
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> BicepAppSettings()
    {
        var bicep = Read("infra", "app", "api.bicep");
        var start = bicep.IndexOf("appSettings: [", StringComparison.Ordinal);
        Assert.True(start >= 0, "infra/app/api.bicep has no 'appSettings: [' array.");
        var open = bicep.IndexOf('[', start);
        var depth = 0;
        var end = open;
        for (; end < bicep.Length; end++)
        {
            depth += bicep[end] switch { '[' => 1, ']' => -1, _ => 0 };
            if (depth == 0)
            {
                break;
            }
        }

        var block = bicep[open..end];
        var entries = AppSettingEntry().Matches(block).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value.Trim())).ToList();
        Assert.Equal(NameEntry().Matches(block).Count, entries.Count);
        return entries;
    }

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[^']+)'\s*value:\s*(?<value>[^\r\n]+)\s*\}")]
    private static partial Regex AppSettingEntry();

    [GeneratedRegex(@"\bname:\s*'")]
    private static partial Regex NameEntry();
}
