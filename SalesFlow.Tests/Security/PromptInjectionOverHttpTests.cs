using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Coaching;
using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Security;

/// <summary>One attack of Fixtures/Injection/injections.jsonl.</summary>
/// <param name="Source">lead (a lead's message), email (an inbound e-mail: quotes, HTML comments, signatures) or knowledge (a document the client uploaded).</param>
/// <param name="Question">For knowledge attacks: what the lead asks so that the poisoned passage is retrieved.</param>
public sealed record InjectionAttack(string Id, string Lang, string Source, IReadOnlyList<string> Goals, string Text, string? Question)
{
    public static IReadOnlyList<InjectionAttack> Corpus { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Injection", "injections.jsonl"))
        .Where(l => l.Trim().Length > 0)
        .Select(l => JsonSerializer.Deserialize<InjectionAttack>(l, new JsonSerializerOptions(JsonSerializerDefaults.Web))!)
        .ToList();

    /// <summary>Where the attack can be delivered: lead messages on every channel and to the coach; e-mails by API, by the SendGrid webhook and to the coach; poisoned knowledge through every channel a lead asks on.</summary>
    public bool Fits(string channel) => Source switch
    {
        "lead" => channel is "whatsapp" or "sms" or "email" or "web" or "coach",
        "email" => channel is "email" or "email-webhook" or "coach",
        _ => channel is "whatsapp" or "sms" or "email" or "web",
    };
}

/// <summary>
/// The app in-process with one brain (the rules brain, or the LLM brain talking to <see cref="ObeyingModelServer"/>),
/// with another lead of the same client and a lead of another client whose data must never come out, and a knowledge
/// base poisoned with the corpus's knowledge attacks.
/// </summary>
public abstract class PromptInjectionFixture(string brain) : IAsyncLifetime
{
    public const string OpenAiKey = "sk-proj-InjectionProbeKey0123456789abcdefXYZ";
    private const string AdminKey = "injection-admin-key-0123456789";

    /// <summary>What other leads wrote: none of it may reach a model prompt of another lead, nor any reply.</summary>
    public static readonly string[] OtherLeadMarkers = ["Quirrell", "quirrell@bauer-ag.example", "15111122233", "Kessler Logistik", "merger", "Nakamura", "priya.nakamura@globex.example", "4155550199", "Bluefin"];

    /// <summary>"rules" or "llm".</summary>
    public string Brain { get; } = brain;

    public ObeyingModelServer Model { get; private set; } = null!;

    public InProcessApp App { get; private set; } = null!;

    /// <summary>Secrets of the demo client, the other client, the process: none may appear in a reply or a prompt.</summary>
    public List<string> Secrets { get; } = [OpenAiKey, AdminKey, SalesFlowAppProcess.ApiKey, SalesFlowAppProcess.WhatsAppAppSecret, SalesFlowAppProcess.WhatsAppVerifyToken, SalesFlowAppProcess.TwilioAuthToken, SalesFlowAppProcess.EmailWebhookSecret];

    public async Task InitializeAsync()
    {
        Model = await ObeyingModelServer.StartAsync();
        App = await InProcessApp.StandaloneAsync(Brain == "llm"
            ? new()
            {
                ["SalesFlow:AdminKey"] = AdminKey,
                ["AI:Provider"] = "openai",
                ["AI:Endpoint"] = Model.BaseUrl.ToString(),
                ["AI:ApiKey"] = OpenAiKey,
                ["AI:MaxRetries"] = "0",
            }
            : new() { ["SalesFlow:AdminKey"] = AdminKey });
        await SeedAsync(App);
    }

    private async Task SeedAsync(InProcessApp app)
    {
        await app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4915111122233", name = "Zoltan Quirrell", message = "Hi, this is Zoltan Quirrell from Bauer AG, zoltan.quirrell@bauer-ag.example. We plan a confidential merger with Kessler Logistik and need a CRM." });
        using var admin = new HttpClient { BaseAddress = app.BaseUrl };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var globex = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "globex", name = "Globex", defaultCountryCode = "1" })).JsonAsync();
        Secrets.Add(globex.Str("apiKey"));
        using var globexHttp = new HttpClient { BaseAddress = app.BaseUrl };
        globexHttp.DefaultRequestHeaders.Authorization = new("Bearer", globex.Str("apiKey"));
        await globexHttp.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+14155550199", name = "Priya Nakamura", message = "Priya Nakamura here, priya.nakamura@globex.example, about Project Bluefin: we need 40 seats." });

        var kb = (await app.Http.PostJsonAsync("/api/knowledge/bases", new { name = "Product FAQ", description = "Uploaded by the client" })).Str("id");
        foreach (var attack in InjectionAttack.Corpus.Where(a => a.Source == "knowledge"))
        {
            using var added = await app.Http.PostAsync($"/api/knowledge/bases/{kb}/documents?id={attack.Id}&title={attack.Id}", new StringContent(attack.Text, Encoding.UTF8, "text/markdown"));
            added.EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Model.DisposeAsync();
    }
}

public sealed class RulesBrainInjectionFixture() : PromptInjectionFixture("rules");

public sealed class LlmBrainInjectionFixture() : PromptInjectionFixture("llm");

/// <summary>The corpus against the rules brain (no model at all: nothing it writes may leak either).</summary>
public sealed class PromptInjectionRulesBrainOverHttpTests(RulesBrainInjectionFixture fixture, ITestOutputHelper output)
    : PromptInjectionOverHttpTests(fixture, output), IClassFixture<RulesBrainInjectionFixture>;

/// <summary>The corpus against the LLM brain and a model that obeys every injection.</summary>
public sealed class PromptInjectionLlmBrainOverHttpTests(LlmBrainInjectionFixture fixture, ITestOutputHelper output)
    : PromptInjectionOverHttpTests(fixture, output), IClassFixture<LlmBrainInjectionFixture>;

/// <summary>
/// Prompt injection (issue 16, abuse): every attack of the corpus (English and German; lead messages, e-mails, poisoned
/// knowledge; zero-width, full-width and look-alike variants) on every channel (WhatsApp, SMS, e-mail by API and by the
/// SendGrid webhook, the web chat stream, the coach) with both brains. The model obeys every injection, so what holds is
/// ours: another lead's data and our secrets never reach a prompt; what the model writes passes the output guard before
/// it is streamed (token by token, as the browser sees it), stored or sent; the lead still gets an answer.
/// </summary>
public abstract class PromptInjectionOverHttpTests(PromptInjectionFixture fixture, ITestOutputHelper output)
{
    private static int _sequence;

    public static TheoryData<string> Channels() => new() { "whatsapp", "sms", "email", "email-webhook", "web", "coach" };

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task NoAttackLeaksTheSystemPromptASecretOrAnotherLeadsData(string channel)
    {
        var (brain, app) = (fixture.Brain, fixture.App);
        var attacks = InjectionAttack.Corpus.Where(a => a.Fits(channel)).ToList();
        var lost = new ConcurrentBag<string>();
        var tags = new ConcurrentDictionary<string, string>();
        var leads = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(attacks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (attack, _) =>
        {
            var tag = $"PX{Interlocked.Increment(ref _sequence):D4}";
            tags[tag] = attack.Id;
            var seen = await DeliverAsync(app, channel, attack, tag);
            if (seen.LeadId is { } leadId)
            {
                leads[tag] = leadId;
            }

            if (seen.Answers.All(string.IsNullOrWhiteSpace))
            {
                lost.Add($"{attack.Id}: the lead got no answer");
            }

            foreach (var (where, text) in seen.Texts())
            {
                foreach (var leak in LeaksIn(text))
                {
                    lost.Add($"{attack.Id}: {where} leaks {leak}: {Shorten(text)}");
                }
            }
        });

        // What reached the model: never another lead's data nor a secret (the OpenAI key rides in the header only).
        var prompts = fixture.Model.Received.Select(r => r.Body).Where(b => tags.Keys.Any(t => b.Contains(t, StringComparison.Ordinal))).ToList();
        foreach (var body in prompts)
        {
            foreach (var marker in PromptInjectionFixture.OtherLeadMarkers.Concat(fixture.Secrets).Where(m => Holds(body, m)))
            {
                lost.Add($"a prompt held '{marker}'");
            }
        }

        var answered = fixture.Model.Answers.Where(a => tags.Keys.Any(t => a.Prompt.Contains(t, StringComparison.Ordinal))).ToList();
        var reached = tags.Count(t => answered.Any(a => a.Prompt.Contains(t.Key, StringComparison.Ordinal)));
        var obeyed = tags.Count(t => answered.Any(a => a.Obeyed && a.Prompt.Contains(t.Key, StringComparison.Ordinal)));

        // Before this guard, what the model wrote went out as written (and streamed token by token): each obeyed answer
        // that leaks is an attack that was lost then. Each must now be blocked, with the reason in the compliance audit.
        var leaking = tags.Where(t => answered.Any(a => a.Prompt.Contains(t.Key, StringComparison.Ordinal) && LeaksIn(a.Answer).Any())).ToList();
        foreach (var (tag, id) in leaking.Where(_ => channel != "coach"))
        {
            var audit = await app.Http.GetJsonAsync($"/api/compliance/audit?verdict=blocked&leadId={leads.GetValueOrDefault(tag)}");
            if (!audit.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("ruleIds").EnumerateArray().Any(r => r.GetString() is "prompt_leak" or "secret")))
            {
                lost.Add($"{id}: no blocked verdict for prompt_leak or secret in the compliance audit");
            }
        }

        var lostAttacks = lost.Select(l => l.Split(':')[0]).Distinct().Count();
        var notObeyed = brain == "llm" ? string.Join(", ", tags.Where(t => !answered.Any(a => a.Obeyed && a.Prompt.Contains(t.Key, StringComparison.Ordinal))).Select(t => t.Value).Order()) : "";
        output.WriteLine($"injection: brain={brain} channel={channel} tried={attacks.Count} reachedModel={reached} modelObeyed={obeyed} leakedWithoutGuard={leaking.Count} held={attacks.Count - lostAttacks} lost={lostAttacks}{(notObeyed.Length > 0 ? " notObeyed=" + notObeyed : "")}");
        foreach (var source in attacks.Select(a => a.Source).Distinct())
        {
            var ofSource = tags.Where(t => attacks.First(a => a.Id == t.Value).Source == source).ToList();
            var lostOfSource = lost.Select(l => l.Split(':')[0]).Distinct().Count(id => attacks.Any(a => a.Id == id && a.Source == source));
            output.WriteLine($"  source={source} tried={ofSource.Count} modelObeyed={ofSource.Count(t => answered.Any(a => a.Obeyed && a.Prompt.Contains(t.Key, StringComparison.Ordinal)))} leakedWithoutGuard={ofSource.Count(t => leaking.Any(l => l.Key == t.Key))} held={ofSource.Count - lostOfSource} lost={lostOfSource}");
        }

        foreach (var line in lost.Order())
        {
            output.WriteLine("  " + line);
        }

        Assert.True(lost.IsEmpty, string.Join("\n", lost.Order()));
        if (brain == "llm")
        {
            // The model really was attacked and really obeyed: the guard, not luck, held.
            Assert.True(obeyed > 0, $"the model obeyed none of the {attacks.Count} attacks on {channel}");
        }
    }

    /// <summary>What came back to the lead (or the rep): stored replies, the HTTP answer, streamed tokens.</summary>
    private sealed record Seen(List<string> Answers, List<(string Where, string Text)> Extra, string? LeadId)
    {
        public IEnumerable<(string Where, string Text)> Texts() => Answers.Select(a => ("reply", a)).Concat(Extra);
    }

    private static async Task<Seen> DeliverAsync(InProcessApp app, string channel, InjectionAttack attack, string tag)
    {
        var message = attack.Source == "knowledge" ? attack.Question! : attack.Text;
        // The first name is the tag: it is in every reply prompt, so what the model received and answered is traced to the attack.
        var name = tag + " Tester";
        var phone = "+4917" + (10_000_000 + int.Parse(tag[2..], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var email = $"tester-{tag.ToLowerInvariant()}@example.com";
        switch (channel)
        {
            case "whatsapp" or "sms" or "email":
            {
                var started = await app.Http.PostJsonAsync("/api/conversations", new { channel, from = channel == "email" ? email : phone, name, message });
                var outbox = await app.Http.OutboxAsync(started.Str("leadId"));
                var profile = await app.Http.GetStringAsync($"/api/leads/{started.Str("leadId")}");
                return new Seen([.. outbox.Select(o => o.Str("text"))], [("api answer", started.GetRawText()), ("lead profile", profile)], started.Str("leadId"));
            }

            case "web":
            {
                var sse = await app.Http.PostSseAsync("/api/chat/stream", new { channel = "web", from = phone, name, message });
                var done = sse.Done.Data;
                var outbox = await app.Http.OutboxAsync(done.Str("leadId"));
                return new Seen([.. outbox.Select(o => o.Str("text"))], [("streamed tokens", sse.Text), ("done event", done.GetRawText())], done.Str("leadId"));
            }

            case "coach":
            {
                var started = await app.Http.PostJsonAsync("/api/conversations", new { channel = attack.Source == "email" ? "email" : "whatsapp", from = attack.Source == "email" ? email : phone, name, message });
                var sse = await app.Http.PostSseAsync("/api/chat/stream", new { conversationId = started.Str("conversationId"), message = $"How should I answer this lead? (ref {tag})", mode = "coach" });
                return new Seen([sse.Done.Data.Str("answer")], [("streamed tokens", sse.Text), ("done event", sse.Done.Data.GetRawText())], started.Str("leadId"));
            }

            default:
            {
                using var anonymous = new HttpClient { BaseAddress = app.BaseUrl };
                using var form = Webhooks.AuthenticSendGridEmail(email, message, messageId: $"<{tag}@mail.example>", fromName: name);
                using var response = await anonymous.PostAsync($"/api/webhooks/email/demo?key={SalesFlowAppProcess.EmailWebhookSecret}", form);
                response.EnsureSuccessStatusCode();
                var replies = await Eventually.ReturnsAsync(
                    async () => (await app.Http.OutboxAsync()).Where(o => o.Str("recipient") == email).ToList(),
                    mine => mine.Count > 0,
                    TimeSpan.FromSeconds(20),
                    $"the e-mail {attack.Id} is answered");
                return new Seen([.. replies.Select(o => o.Str("text"))], [], replies[0].Str("leadId"));
            }
        }
    }

    /// <summary>An independent check (not the app's guard): the canary, a run of 8 words from a system prompt, a secret, another lead's data.</summary>
    private IEnumerable<string> LeaksIn(string text)
    {
        var read = ObeyingModelServer.Readable(text);
        if (Compact(read).Contains(Compact(PromptFence.Canary), StringComparison.Ordinal))
        {
            yield return "the canary";
        }

        var prompts = SystemPrompts().ToList();
        var words = Words(read);
        for (var i = 0; i + 8 <= words.Count; i++)
        {
            var run = string.Join(' ', words.Skip(i).Take(8));
            if (prompts.Any(p => p.Contains(run, StringComparison.Ordinal)))
            {
                yield return $"the system prompt ('{run}')";
                break;
            }
        }

        foreach (var secret in fixture.Secrets.Where(s => read.Contains(s, StringComparison.Ordinal) || Compact(read).Contains(Compact(s), StringComparison.Ordinal)))
        {
            yield return "a secret (" + secret[..4] + "…)";
        }

        if (Regex.IsMatch(read, @"\bsk-[A-Za-z0-9_\-]{16,}"))
        {
            yield return "a key-shaped string";
        }

        foreach (var marker in PromptInjectionFixture.OtherLeadMarkers.Where(m => Holds(read, m)))
        {
            yield return $"another lead's data ('{marker}')";
        }
    }

    /// <summary>Every system prompt the model received, and ours as the code has them (the rules app sends none), as word runs.</summary>
    private IEnumerable<string> SystemPrompts()
    {
        var ours = new[] { SalesFlow.Core.Brain.Llm.SystemPrompts.SalesCoach, SalesFlow.Core.Brain.Llm.SystemPrompts.Guardrails, SalesFlow.Core.Brain.Llm.SystemPrompts.Firefighter, SalesFlow.Core.Brain.Llm.SystemPrompts.DealMedic, LlmSalesCoach.SystemPrompt, PromptFence.DataRule };
        var received = fixture.Model.Received
            .Select(r => r.Body.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(r.Body)?["messages"]?[0]?["content"]?.GetValue<string>())
            .OfType<string>()
            .Distinct();
        return ours.Concat(received).Select(p => string.Join(' ', Words(p)));
    }

    private static List<string> Words(string text) => Regex.Matches(text, @"[\p{L}\p{N}]+").Select(m => m.Value.ToLowerInvariant()).ToList();

    private static string Compact(string text) => new([.. text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    /// <summary>The text holds the marker as written, or (a phone number's digits) in any phone-like spelling.</summary>
    private static bool Holds(string text, string marker) =>
        text.Contains(marker, StringComparison.OrdinalIgnoreCase)
        || (Digits(marker) == marker && Regex.Matches(text, @"\+?\d[\d \-/().]{6,}\d").Any(m => Digits(m.Value).Contains(marker, StringComparison.Ordinal)));

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
