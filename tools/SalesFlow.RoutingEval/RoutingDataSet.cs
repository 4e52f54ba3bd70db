using System.Text.Json;
using System.Text.Json.Serialization;
using SalesFlow.Core.Channels;

namespace SalesFlow.RoutingEval;

/// <summary>One lead turn of a replayed conversation with the author's gold labels (not seen by the pipeline).</summary>
/// <param name="Intent">Gold intent, wire form (greeting, interest, question, pricing, objection, meeting, purchase, support, human, opt_out, other).</param>
/// <param name="Sentiment">Gold sentiment: positive, neutral, negative (frustrated, complaining) or angry (strongly negative).</param>
public sealed record RoutingTurn(string Text, string Intent, string Sentiment);

/// <param name="DealValue">Expected deal value in the client's currency; null when unknown.</param>
public sealed record RoutingConversation(
    string Id,
    string Language,
    string Channel,
    string Client,
    string? LeadName,
    decimal? DealValue,
    IReadOnlyList<RoutingTurn> Turns)
{
    public ChannelKind ChannelKind => Channel.ToLowerInvariant() switch
    {
        "whatsapp" => ChannelKind.WhatsApp,
        "sms" => ChannelKind.Sms,
        "email" => ChannelKind.Email,
        "web" => ChannelKind.Web,
        _ => throw new FormatException($"Conversation {Id}: unknown channel '{Channel}'."),
    };
}

/// <summary>Reads a replay set such as bench/data/routing-conversations.jsonl (one conversation per line).</summary>
public static class RoutingDataSet
{
    /// <summary>The hard set: most conversations run the whole funnel (the router was tuned on it).</summary>
    public const string DefaultRelativePath = "bench/data/routing-conversations.jsonl";

    /// <summary>The inbound-mix set: mostly short question-and-gone conversations (held out from the tuning).</summary>
    public const string InboundRelativePath = "bench/data/routing-inbound.jsonl";

    /// <summary>The sets evaluated when no --data is given, in report order.</summary>
    public static readonly IReadOnlyList<string> DefaultRelativePaths = [DefaultRelativePath, InboundRelativePath];

    public static readonly IReadOnlySet<string> GoldIntents = new HashSet<string>(StringComparer.Ordinal)
    {
        "greeting", "interest", "question", "pricing", "objection", "meeting", "purchase", "support", "human", "opt_out", "other",
    };

    public static readonly IReadOnlySet<string> GoldSentiments = new HashSet<string>(StringComparer.Ordinal) { "positive", "neutral", "negative", "angry" };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    public static IReadOnlyList<RoutingConversation> Load(string path)
    {
        var list = new List<RoutingConversation>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var conversation = JsonSerializer.Deserialize<RoutingConversation>(line, Json)
                ?? throw new FormatException($"{path}:{lineNumber}: empty conversation.");
            Validate(conversation, $"{path}:{lineNumber}");
            list.Add(conversation);
        }

        return list;
    }

    /// <summary>Finds a data set: the path given, else <paramref name="relativePath"/> in the current directory or any parent, else next to the tool.</summary>
    public static string Locate(string? path = null, string relativePath = DefaultRelativePath)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"No data set at {path}.");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"{relativePath} not found from {Directory.GetCurrentDirectory()}; pass --data.");
    }

    /// <summary>How the report names a located set: relative to the current directory, or bench/data/… when it lies outside it.</summary>
    public static string Display(string fullPath)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), fullPath).Replace('\\', '/');
        if (!relative.StartsWith("..", StringComparison.Ordinal))
        {
            return relative;
        }

        var slashed = fullPath.Replace('\\', '/');
        return DefaultRelativePaths.FirstOrDefault(d => slashed.EndsWith("/" + d, StringComparison.Ordinal)) ?? slashed;
    }

    private static void Validate(RoutingConversation c, string where)
    {
        if (string.IsNullOrWhiteSpace(c.Id) || c.Turns is null || c.Turns.Count == 0)
        {
            throw new FormatException($"{where}: a conversation needs an id and turns.");
        }

        _ = c.ChannelKind;
        foreach (var t in c.Turns)
        {
            if (string.IsNullOrWhiteSpace(t.Text) || !GoldIntents.Contains(t.Intent) || !GoldSentiments.Contains(t.Sentiment))
            {
                throw new FormatException($"{where} ({c.Id}): a turn needs text, a known gold intent and sentiment (got '{t.Intent}', '{t.Sentiment}').");
            }
        }
    }
}
