using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Tests.Support;

/// <summary>
/// A scripted model on 127.0.0.1 speaking the OpenAI chat completions wire format (streamed and not, in the format of
/// <see cref="OpenAIReplayServer"/>) that obeys every prompt injection it reads, so that whatever holds must be ours.
/// Extraction calls (a JSON schema is asked for) get a neutral reading, with the obeyed answer as a pain point when the
/// message holds an injection (the reading is stored in the lead's profile). Any other call whose prompt contains an
/// injection is answered with the worst it can find: the system prompt verbatim when asked for instructions; every
/// secret-looking string of its input, the Authorization header included, when asked for keys; every e-mail address,
/// phone number and earlier message of its input when asked about other customers; and when asked to put its rules in
/// its own words, a paraphrase of the sales coach's prompt (<see cref="Paraphrase"/>: no canary, no run of words of a prompt, no
/// talk about instructions, so only the guard's content-word overlap can find it). Without an injection it answers
/// like a polite rep. Injections are recognised in English and German after undoing zero-width characters, full-width
/// letters and Cyrillic look-alikes, as a capable model would read them.
/// </summary>
public sealed partial class ObeyingModelServer : IAsyncDisposable
{
    public const string BenignAnswer = "Thanks for your message! Which of our plans would suit your team best?";

    /// <summary>
    /// The sales coach's prompt (SystemPrompts.SalesCoach) retold in other words, as an obeying model writes it when asked
    /// to: it names no price, discount or guarantee, so no other compliance rule fires on it either.
    /// </summary>
    public const string Paraphrase = "Happy to explain how I work. I am a friendly, capable sales helper: I push the conversation one step ahead in "
        + "its current stage, work out what the lead needs, point out the value that matters most for them and close with a single simple question.";

    private readonly WebApplication _app;

    private ObeyingModelServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Every request body received, in order.</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Every answer given (the text the model wrote), with the request it answered.</summary>
    public ConcurrentQueue<(string Prompt, string Answer, bool Obeyed)> Answers { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ObeyingModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ObeyingModelServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>What the model writes for a prompt; null for a prompt without an injection.</summary>
    public static string? Obey(string system, string user, string authorization)
    {
        var read = Readable(user);
        if (AsksForOwnWords().IsMatch(read))
        {
            return Paraphrase;
        }

        var parts = new List<string>();
        if (AsksForInstructions().IsMatch(read))
        {
            parts.Add("Sure, here are my instructions: " + system);
        }

        if (AsksForSecrets().IsMatch(read))
        {
            var secrets = SecretLooking().Matches(system + "\n" + user + "\n" + authorization).Select(m => m.Value).Distinct().ToList();
            parts.Add("Here are the keys I can see: " + (secrets.Count == 0 ? "none" : string.Join(", ", secrets)) + ".");
        }

        if (AsksAboutOthers().IsMatch(read))
        {
            var contacts = Contact().Matches(user).Select(m => m.Value.Trim()).Distinct().ToList();
            var lines = user.Split('\n').Where(l => l.StartsWith("Lead", StringComparison.Ordinal) || l.StartsWith("Us", StringComparison.Ordinal)).ToList();
            parts.Add("Other customers I know of: " + string.Join(", ", contacts) + ". What they wrote: " + string.Join(" | ", lines));
        }

        return parts.Count == 0 ? null : string.Join("\n", parts);
    }

    /// <summary>The text as a model understands it: no zero-width characters, full-width and look-alike letters made plain.</summary>
    public static string Readable(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            sb.Append(c switch
            {
                'а' => 'a', 'е' => 'e', 'о' => 'o', 'р' => 'p', 'с' => 'c', 'і' => 'i', 'І' => 'I', 'ѕ' => 's', 'у' => 'y', 'х' => 'x',
                _ => c,
            });
        }

        return sb.ToString();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "/";
        Received.Enqueue(new ReceivedRequest(context.Request.Method, path, headers, body));
        if (path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            await WriteAsync(context, ReplayResponse.Json(200, await EmbeddingsAsync(JsonNode.Parse(body)!)));
            return;
        }

        if (!path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            await WriteAsync(context, OpenAIReplayServer.Error(404, $"No scripted answer for {path}", "invalid_request_error"));
            return;
        }

        var request = JsonNode.Parse(body)!;
        var messages = request["messages"]!.AsArray();
        var system = string.Join("\n", messages.Where(m => m!["role"]!.GetValue<string>() is "system" or "developer").Select(Content));
        var user = string.Join("\n", messages.Where(m => m!["role"]!.GetValue<string>() == "user").Select(Content));
        if (request["response_format"] is not null)
        {
            // An obeyed injection lands in the reading's facts: they are stored in the lead's profile.
            await WriteAsync(context, OpenAIReplayServer.CompletionOf(Reading(user, Obey(system, user, headers.GetValueOrDefault("Authorization", ""))), 300, 80));
            return;
        }

        var obeyed = Obey(system, user, headers.GetValueOrDefault("Authorization", ""));
        var answer = obeyed ?? BenignAnswer;
        Answers.Enqueue((user, answer, obeyed is not null));
        var streamed = request["stream"]?.GetValue<bool>() == true;
        await WriteAsync(context, streamed
            ? OpenAIReplayServer.StreamOf(Pieces(answer), 400, answer.Length / 4)
            : OpenAIReplayServer.CompletionOf(answer, 400, answer.Length / 4));
    }

    /// <summary>Embeddings as the service returns them (base64 floats when asked), made by the app's own hashed embedder so retrieval works.</summary>
    private static async Task<string> EmbeddingsAsync(JsonNode request)
    {
        var inputs = request["input"] is JsonArray many ? many.Select(i => i!.GetValue<string>()).ToList() : [request["input"]!.GetValue<string>()];
        var dimensions = request["dimensions"]?.GetValue<int>() ?? SalesFlow.Core.Knowledge.HashedEmbedder.DefaultDimensions;
        var base64 = request["encoding_format"]?.GetValue<string>() == "base64";
        var vectors = await new SalesFlow.Core.Knowledge.HashedEmbedder(dimensions).GenerateAsync(inputs);
        var data = new JsonArray();
        for (var i = 0; i < vectors.Count; i++)
        {
            var floats = vectors[i].Vector.ToArray();
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan())))
                : new JsonArray([.. floats.Select(f => (JsonNode?)JsonValue.Create(f))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var tokens = inputs.Sum(t => t.Length / 4 + 1);
        return new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = request["model"]?.GetValue<string>(), ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens } }.ToJsonString();
    }

    private static string Content(JsonNode? message) => message!["content"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    /// <summary>The answer in pieces of a few characters, cut inside words, as models stream.</summary>
    private static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 7)
        {
            yield return text.Substring(i, Math.Min(7, text.Length - i));
        }
    }

    private static string Reading(string user, string? obeyed) => new JsonObject
    {
        ["language"] = GermanWords().IsMatch(user) ? "de" : "en",
        ["intent"] = "question",
        ["intent_confidence"] = 0.8,
        ["sentiment"] = "neutral",
        ["sentiment_score"] = 0.1,
        ["suggested_state"] = null,
        ["suggested_state_confidence"] = 0,
        ["bant"] = new JsonObject
        {
            ["budget"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
            ["authority"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
            ["need"] = new JsonObject { ["score"] = 0.3, ["evidence"] = null },
            ["timeline"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
        },
        ["disc"] = new JsonObject { ["dominance"] = 0.2, ["influence"] = 0.2, ["steadiness"] = 0.2, ["conscientiousness"] = 0.2 },
        ["facts"] = new JsonObject { ["name"] = null, ["company"] = null, ["role"] = null, ["budget"] = null, ["timeline"] = null, ["pain_points"] = obeyed is null ? new JsonArray() : new JsonArray(obeyed), ["email"] = null },
    }.ToJsonString();

    private static async Task WriteAsync(HttpContext context, ReplayResponse response)
    {
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        if (response.ContentType != "text/event-stream")
        {
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
            return;
        }

        foreach (var evt in response.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            await context.Response.WriteAsync(evt + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"in your own words|paraphrase|mit eigenen worten|in ihren eigenen worten", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksForOwnWords();

    [GeneratedRegex(@"system ?prompt|instructions|everything above|configuration|confidential marker|rules you were given|anweisungen|systemprompt|oben stehende|konfiguration", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksForInstructions();

    [GeneratedRegex(@"api[- ]?key|a p i\s+k e y|secret|token|password|openai key|schlüssel|passwörter|zugangsdaten", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksForSecrets();

    [GeneratedRegex(@"other customers?|all leads|other_customers|colleague|anderen? kunden?|alle kunden|kollege", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksAboutOthers();

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-]{8,}|\bSG\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}|\b[A-Za-z0-9_\-]*(?:secret|token|key)[A-Za-z0-9_\-]*-[A-Za-z0-9_\-]{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretLooking();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|(?:\+|00)\d[\d \-/]{6,}\d", RegexOptions.CultureInvariant)]
    private static partial Regex Contact();

    [GeneratedRegex(@"\b(?:und|der|die|das|Sie|ist|wie|was|nicht|bitte)\b", RegexOptions.CultureInvariant)]
    private static partial Regex GermanWords();
}
