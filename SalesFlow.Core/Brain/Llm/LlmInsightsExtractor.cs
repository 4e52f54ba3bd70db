using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Brain.Llm;

/// <summary>
/// Structured extraction with the small model and a strict JSON schema: language, intent, sentiment, a suggested next
/// state with confidence, BANT and DISC signals and key facts, as <see cref="LeadInsights"/>. Falls back to the rules'
/// reading (<see cref="RulesInsightsExtractor"/>) when the model fails, times out, its breaker is open, the budget
/// is spent or the answer is not the JSON asked for.
/// </summary>
public sealed class LlmInsightsExtractor(
    IChatClient chat,
    RulesInsightsExtractor rules,
    AiUsageTracker usage,
    IOptions<AiOptions> options,
    ILogger<LlmInsightsExtractor> logger) : ILeadInsightsExtractor
{
    public async Task<LeadInsights> ExtractAsync(string text, AnalysisContext context, CancellationToken ct)
    {
        var fallback = rules.Extract(text);
        if (await usage.RemainingBudgetAsync(context.ClientId, ct) is <= 0)
        {
            return fallback;
        }

        var model = options.Value.SmallChatModelFor(context.ClientId);
        var messages = BuildMessages(text, context.State);
        var chatOptions = ExtractionOptions(model);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Value.ReplyDeadline);
        var started = Stopwatch.GetTimestamp();
        var call = new AiCallContext(context.ClientId, context.LeadId, AiPurpose.Analysis);
        try
        {
            var response = await chat.GetResponseAsync(messages, chatOptions, deadline.Token);
            await usage.RecordAsync(call, response.ModelId ?? model, response.Usage, TokenEstimator.CountPrompt(messages.Select(m => new EstimatedMessage(m.Role.Value, m.Text))), TokenEstimator.Count(response.Text), Stopwatch.GetElapsedTime(started), true, CancellationToken.None);
            // The reading is stored in the lead's profile and synced to the CRM: one that repeats our instructions or
            // holds a key (an obeyed injection) is dropped for the rules' reading. The JSON is checked literally (its field
            // names are the extraction prompt's words); what the model wrote in its fields also for a retold prompt.
            var leaks = Compliance.PromptLeak.FindLiteral(response.Text, []);
            if (leaks.Count == 0)
            {
                var reading = Parse(response.Text, fallback.Analysis, text);
                leaks = Compliance.PromptLeak.Find(WrittenText(reading), []);
                if (leaks.Count == 0)
                {
                    return reading;
                }
            }

            logger.LogWarning("Model analysis dropped ({Rules}); the rules answer", string.Join(", ", leaks.Select(l => l.RuleId)));
            SalesFlowMetrics.AiFallbacks.Add(1, new TagList { { "reason", "analysis leak" } });
            return fallback;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Model analysis failed ({Message}); the rules answer", e.Message);
            SalesFlowMetrics.AiFallbacks.Add(1, new TagList { { "reason", "analysis" } });
            return fallback;
        }
    }

    /// <summary>The free text of a reading (facts and evidence), one item a line: what the profile stores and the CRM gets.</summary>
    private static string WrittenText(LeadInsights reading)
    {
        var f = reading.Facts;
        var b = reading.Bant;
        return string.Join('\n', new[] { f.Name, f.Company, f.Role, f.Budget, f.Timeline, f.Email, b.Budget.Evidence, b.Authority.Evidence, b.Need.Evidence, b.Timeline.Evidence }
            .Concat(f.PainPoints)
            .Where(t => !string.IsNullOrWhiteSpace(t)));
    }

    /// <summary>The extraction prompt (also priced by the routing evaluation, tools/SalesFlow.RoutingEval).</summary>
    public static List<ChatMessage> BuildMessages(string text, ConversationState state) =>
    [
        new(ChatRole.System, SystemPrompts.Extraction.Trim() + "\n" + PromptFence.DataRule),
        new(ChatRole.User, $"Current stage: {state.ToWire()}\nLead message(s):\n{PromptFence.Fence("lead_message", text)}"),
    ];

    /// <summary>The extraction call's options: the small model, temperature 0, at most 500 tokens, the strict JSON schema.</summary>
    public static ChatOptions ExtractionOptions(string model) => new()
    {
        ModelId = model,
        Temperature = 0,
        MaxOutputTokens = 500,
        ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, SchemaName, SchemaDescription),
    };

    public const string SchemaName = "lead_insights";

    public const string SchemaDescription = "What a lead's message says about intent, sentiment, stage, BANT, DISC and facts.";

    /// <summary>
    /// Insights as the JSON the schema asks the model for (compact, every property present): what
    /// <see cref="Parse"/> reads back. The routing evaluation prices an extraction answer with it.
    /// </summary>
    public static string ToJson(LeadInsights insights)
    {
        ArgumentNullException.ThrowIfNull(insights);
        var a = insights.Analysis;
        static object Signal(BantSignal s) => new { score = s.Score, evidence = s.Evidence };
        var f = insights.Facts;
        return JsonSerializer.Serialize(new
        {
            language = a.Language,
            intent = a.Intent.ToWire(),
            intent_confidence = a.Confidence,
            sentiment = a.Sentiment.ToWire(),
            sentiment_score = a.SentimentScore,
            suggested_state = insights.SuggestedState?.ToWire(),
            suggested_state_confidence = insights.SuggestedStateConfidence,
            bant = new { budget = Signal(insights.Bant.Budget), authority = Signal(insights.Bant.Authority), need = Signal(insights.Bant.Need), timeline = Signal(insights.Bant.Timeline) },
            disc = new { dominance = insights.Disc.Dominance, influence = insights.Disc.Influence, steadiness = insights.Disc.Steadiness, conscientiousness = insights.Disc.Conscientiousness },
            facts = new { name = f.Name, company = f.Company, role = f.Role, budget = f.Budget, timeline = f.Timeline, pain_points = f.PainPoints, email = f.Email },
        }, AnswerJson);
    }

    // A model writes "Müller", not "M\u00FCller": relaxed escaping keeps the text (and its token count) as a model sends it.
    private static readonly JsonSerializerOptions AnswerJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads the model's JSON; throws <see cref="AiException"/> (InvalidResponse) when it is not the object asked for.</summary>
    public static LeadInsights Parse(string json, MessageAnalysis rules, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AiException(AiFailure.InvalidResponse, "The analysis was not a JSON object.");
            }

            var intent = ParseIntent(Str(root, "intent")) ?? rules.Intent;
            var score = Math.Clamp(Num(root, "sentiment_score") ?? rules.SentimentScore, -1, 1);
            var sentiment = Str(root, "sentiment") switch
            {
                "positive" => Sentiment.Positive,
                "negative" => Sentiment.Negative,
                "neutral" => Sentiment.Neutral,
                _ => rules.Sentiment,
            };
            var language = Str(root, "language") is { Length: 2 } lang ? lang.ToLowerInvariant() : rules.Language;
            var analysis = new MessageAnalysis(language, intent, sentiment, score, Math.Clamp(Num(root, "intent_confidence") ?? 0.8, 0, 1));

            ConversationState? suggested = null;
            if (Str(root, "suggested_state") is { } state)
            {
                try
                {
                    suggested = ConversationStateNames.FromWire(state);
                }
                catch (ArgumentException)
                {
                }
            }

            var bant = root.TryGetProperty("bant", out var b) && b.ValueKind == JsonValueKind.Object
                ? new BantSignals(Signal(b, "budget"), Signal(b, "authority"), Signal(b, "need"), Signal(b, "timeline"))
                : BantSignals.None;
            var disc = root.TryGetProperty("disc", out var d) && d.ValueKind == JsonValueKind.Object
                ? new DiscSignals(Unit(d, "dominance"), Unit(d, "influence"), Unit(d, "steadiness"), Unit(d, "conscientiousness")) { Said = text }
                : DiscSignals.None;
            var facts = KeyFacts.None;
            if (root.TryGetProperty("facts", out var f) && f.ValueKind == JsonValueKind.Object)
            {
                var pains = f.TryGetProperty("pain_points", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim()).Where(x => x.Length > 0).ToList()
                    : [];
                // An e-mail address counts only if the lead actually wrote it.
                var email = Str(f, "email") is { } e && text.Contains(e, StringComparison.OrdinalIgnoreCase) ? e : Leads.ContactAddresses.FindEmailIn(text);
                facts = new KeyFacts(Str(f, "name"), Str(f, "company"), Str(f, "role"), Str(f, "budget"), Str(f, "timeline"), pains, email);
            }

            return new LeadInsights(analysis, suggested, Math.Clamp(Num(root, "suggested_state_confidence") ?? 0, 0, 1), bant, disc, facts, "llm", rules);
        }
        catch (JsonException e)
        {
            throw new AiException(AiFailure.InvalidResponse, "The analysis was not valid JSON: " + e.Message, null, e);
        }
    }

    private static Intent? ParseIntent(string? wire) =>
        Enum.GetValues<Intent>().Cast<Intent?>().FirstOrDefault(i => i!.Value.ToWire() == wire);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static double Unit(JsonElement e, string name) => Math.Clamp(Num(e, name) ?? 0, 0, 1);

    private static BantSignal Signal(JsonElement bant, string name) =>
        bant.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.Object ? new BantSignal(Unit(s, "score"), Str(s, "evidence")) : BantSignal.None;

    private static readonly string[] States = Enum.GetValues<ConversationState>().Select(s => s.ToWire()).ToArray();

    /// <summary>The strict JSON schema (every property required, null where unknown, no extra properties).</summary>
    public static JsonElement Schema { get; } = BuildSchema();

    private static JsonElement BuildSchema()
    {
        static object Nullable(string type) => new { type = new[] { type, "null" } };
        static object Obj(Dictionary<string, object> props) => new { type = "object", additionalProperties = false, required = props.Keys.ToArray(), properties = props };
        var signal = Obj(new() { ["score"] = new { type = "number" }, ["evidence"] = Nullable("string") });
        var schema = Obj(new()
        {
            ["language"] = new { type = "string", description = "ISO 639-1 code of the lead's language" },
            ["intent"] = new { type = "string", @enum = Enum.GetValues<Intent>().Select(i => i.ToWire()).ToArray() },
            ["intent_confidence"] = new { type = "number" },
            ["sentiment"] = new { type = "string", @enum = new[] { "negative", "neutral", "positive" } },
            ["sentiment_score"] = new { type = "number", description = "-1 furious … +1 delighted" },
            ["suggested_state"] = new { type = new[] { "string", "null" }, @enum = States.Cast<string?>().Append(null).ToArray() },
            ["suggested_state_confidence"] = new { type = "number" },
            ["bant"] = Obj(new() { ["budget"] = signal, ["authority"] = signal, ["need"] = signal, ["timeline"] = signal }),
            ["disc"] = Obj(new() { ["dominance"] = new { type = "number" }, ["influence"] = new { type = "number" }, ["steadiness"] = new { type = "number" }, ["conscientiousness"] = new { type = "number" } }),
            ["facts"] = Obj(new()
            {
                ["name"] = Nullable("string"),
                ["company"] = Nullable("string"),
                ["role"] = Nullable("string"),
                ["budget"] = Nullable("string"),
                ["timeline"] = Nullable("string"),
                ["pain_points"] = new { type = "array", items = new { type = "string" } },
                ["email"] = Nullable("string"),
            }),
        });
        return JsonSerializer.SerializeToElement(schema);
    }
}
