using System.Text.Json;
using System.Text.Json.Nodes;

namespace SalesFlow.Functions.Hosting;

/// <summary>
/// Writes one <c>&lt;name&gt;/function.json</c> per catalog function into a Functions app directory
/// (the publish output; host.json is copied there by the build). Run by the publish target through
/// <c>SalesFlow.Functions --write-function-metadata &lt;dir&gt;</c>; nothing is kept by hand.
/// </summary>
public static class FunctionMetadataWriter
{
    public const string Switch = "--write-function-metadata";

    /// <summary>Binding names: what the host uses as keys of the invocation's <c>Data</c>.</summary>
    public const string QueueBindingName = "message";
    public const string TimerBindingName = "timer";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>When <paramref name="args"/> asks for it, writes the metadata and returns the exit code; otherwise null (start the app).</summary>
    public static int? TryRun(string[] args, TextWriter output, TextWriter error)
    {
        var at = Array.IndexOf(args, Switch);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= args.Length || string.IsNullOrWhiteSpace(args[at + 1]))
        {
            error.WriteLine($"{Switch} needs the Functions app directory, e.g. {Switch} ./publish");
            return 2;
        }

        try
        {
            var written = Write(args[at + 1]);
            output.WriteLine($"Wrote {written.Count} function.json files to {Path.GetFullPath(args[at + 1])}: {string.Join(", ", written)}");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Could not write function metadata: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Writes every catalog function and removes function folders no longer in the catalog; returns the names written.</summary>
    public static IReadOnlyList<string> Write(string appDirectory)
    {
        Directory.CreateDirectory(appDirectory);
        var names = new List<string>();
        foreach (var function in FunctionCatalog.All)
        {
            var folder = Path.Combine(appDirectory, function.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "function.json"), ToJson(function).ToJsonString(Indented) + Environment.NewLine);
            names.Add(function.Name);
        }

        // A function removed from the catalog must not linger in a re-used publish directory.
        foreach (var stale in Directory.EnumerateDirectories(appDirectory).Where(d => File.Exists(Path.Combine(d, "function.json")) && !names.Contains(Path.GetFileName(d))))
        {
            Directory.Delete(stale, recursive: true);
        }

        return names;
    }

    public static JsonObject ToJson(FunctionDefinition function) => new()
    {
        ["bindings"] = function switch
        {
            HttpFunction http => new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    ["authLevel"] = http.AuthLevel switch
                    {
                        HttpAuthLevel.Anonymous => "anonymous",
                        HttpAuthLevel.Function => "function",
                        _ => throw new ArgumentOutOfRangeException(nameof(function), http.AuthLevel, "Unknown auth level."),
                    },
                    ["methods"] = new JsonArray([.. http.Methods.Select(m => (JsonNode?)JsonValue.Create(m))]),
                    ["route"] = http.Route,
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
            QueueFunction queue => new JsonArray(new JsonObject
            {
                ["type"] = "queueTrigger",
                ["direction"] = "in",
                ["name"] = QueueBindingName,
                ["queueName"] = queue.QueueName,
                ["connection"] = queue.Connection,
            }),
            TimerFunction timer => new JsonArray(new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = TimerBindingName,
                ["schedule"] = timer.Schedule,
                ["runOnStartup"] = false,
                ["useMonitor"] = true,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(function), function.GetType().Name, "Unknown function kind."),
        },
    };
}
