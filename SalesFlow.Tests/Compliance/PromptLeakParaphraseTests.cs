using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Coaching;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Compliance;

/// <summary>
/// The output guard against a system prompt retold in other words (<see cref="PromptParaphrase"/> inside
/// <see cref="PromptLeak"/>). Thresholds were chosen on Fixtures/Injection/paraphrase-tuning.tsv; paraphrase-heldout.tsv
/// was written before any result was seen and is only measured. Every reply text the rules brain can write and the
/// red-team set's safe messages must pass.
/// </summary>
public sealed class PromptLeakParaphraseTests(ITestOutputHelper output)
{
    public sealed record Row(bool Block, string Lang, string Text);

    public static List<Row> Load(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Injection", file)).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(c => new Row(c[0] == "block", c[1], c[2]))
            .ToList();

    public static TheoryData<bool, string, string> Tuning() => AsTheory(Load("paraphrase-tuning.tsv"));

    public static TheoryData<bool, string, string> HeldOut() => AsTheory(Load("paraphrase-heldout.tsv"));

    private static TheoryData<bool, string, string> AsTheory(IEnumerable<Row> rows)
    {
        var data = new TheoryData<bool, string, string>();
        foreach (var row in rows)
        {
            data.Add(row.Block, row.Lang, row.Text);
        }

        return data;
    }

    private static bool Blocked(string text) => PromptLeak.Find(text, []).Any(f => f.RuleId == ComplianceRules.PromptLeak);

    [Theory]
    [MemberData(nameof(Tuning))]
    public void ATuningParaphraseIsBlockedAndAnOrdinaryReplyPasses(bool block, string lang, string text)
    {
        Assert.True(block == Blocked(text), $"{lang}: expected {(block ? "blocked" : "passed")}: {text} {Explain(text)}");
    }

    [Theory]
    [MemberData(nameof(HeldOut))]
    public void AHeldOutParaphraseIsBlockedAndAnOrdinaryReplyPasses(bool block, string lang, string text)
    {
        Assert.True(block == Blocked(text), $"{lang}: expected {(block ? "blocked" : "passed")}: {text} {Explain(text)}");
    }

    [Fact]
    public void TheFiguresOfBothSetsAreReported()
    {
        foreach (var file in new[] { "paraphrase-tuning.tsv", "paraphrase-heldout.tsv" })
        {
            var rows = Load(file);
            var leaks = rows.Where(r => r.Block).ToList();
            var safe = rows.Where(r => !r.Block).ToList();
            var meta = leaks.Count(r => PromptParaphrase.MetaTalkIn(PromptLeak.Normalise(r.Text)) is not null);
            var overlap = leaks.Count(r => PromptParaphrase.OverlapIn(PromptLeak.Normalise(r.Text)) is not null);
            output.WriteLine($"{file}: paraphrases blocked {leaks.Count(r => Blocked(r.Text))}/{leaks.Count} (meta-talk {meta}, content overlap {overlap}); ordinary replies passed {safe.Count(r => !Blocked(r.Text))}/{safe.Count}");
            foreach (var r in rows)
            {
                output.WriteLine($"  {(r.Block ? "block" : "pass ")} {(Blocked(r.Text) ? "BLOCKED" : "passed ")} {Explain(r.Text)} {r.Text}");
            }
        }

        Assert.All(Load("paraphrase-tuning.tsv"), r => Assert.Equal(r.Block, Blocked(r.Text)));
    }

    [Fact]
    public void NoReplyTextTheRulesBrainCanWriteIsBlocked()
    {
        var texts = TemplateTexts().Concat(GeneratedReplies()).Distinct().ToList();

        var blocked = texts.Where(t => PromptLeak.Find(t, []).Count > 0).ToList();

        output.WriteLine($"rules brain texts checked: {texts.Count}, blocked: {blocked.Count}");
        Assert.True(texts.Count > 1000, $"only {texts.Count} texts");
        Assert.Empty(blocked);
    }

    [Fact]
    public void NoLineOfARulesSalesScriptIsBlocked()
    {
        // Scripts are vetted line by line by the compliance filter (SalesScriptService), so the full guard judges them.
        var lines = ScriptLines().Distinct().ToList();

        var blocked = lines.Where(t => PromptLeak.Find(t, []).Count > 0).ToList();

        output.WriteLine($"sales script lines checked: {lines.Count}, blocked: {blocked.Count}");
        Assert.True(lines.Count > 100, $"only {lines.Count} lines");
        Assert.Empty(blocked);
    }

    [Fact]
    public void NoSafeMessageOfTheRedTeamSetIsBlockedAsALeak()
    {
        var safe = RedTeamAccuracyTests.Load().Where(r => !r.Unsafe).ToList();

        var blocked = safe.Where(r => PromptLeak.Find(r.Text, []).Count > 0).Select(r => r.Text).ToList();

        output.WriteLine($"red-team safe rows checked: {safe.Count}, blocked as a leak: {blocked.Count}");
        Assert.Empty(blocked);
    }

    [Fact]
    public void NoLeadUtteranceOfTheBrainAndDialogueSetsIsTakenForALeak()
    {
        // A model's summary and reading quote the lead's own words: those must not make the guard drop them.
        var brain = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Brain"), "*.tsv")
            .SelectMany(f => File.ReadAllLines(f).Skip(1))
            .Select(l => l.Split('\t')[0]);
        var dialogues = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dialogues", "sgd-test.tsv")).Skip(1).Select(l => l.Split('\t')[^1]);
        var utterances = brain.Concat(dialogues).Where(t => t.Length > 0).Distinct().ToList();

        var blocked = utterances.Where(t => PromptLeak.Find(t, []).Count > 0).ToList();

        output.WriteLine($"lead utterances checked: {utterances.Count}, taken for a leak: {blocked.Count}");
        foreach (var t in blocked)
        {
            output.WriteLine($"  {Explain(t)} {t}");
        }

        Assert.True(utterances.Count > 800, $"only {utterances.Count} utterances");
        Assert.Empty(blocked);
    }

    [Fact]
    public void TheCoachsLiteralCheckLeavesSalesMethodAloneButNotMetaTalk()
    {
        // The rules coach's own playbook line for objections (RulesSalesCoach): the Firefighter prompt's method, rightly.
        const string advice = "Acknowledge the concern, isolate it (is it the only one?), answer it with a fact from your material, then ask to move on.";

        Assert.NotEmpty(PromptLeak.Find(advice, []));
        Assert.Empty(PromptLeak.FindLiteral(advice, []));
        Assert.NotEmpty(PromptLeak.FindLiteral("My instructions say: " + advice, []));
    }

    private static string Explain(string text)
    {
        var normal = PromptLeak.Normalise(text);
        var scores = PromptParaphrase.Sentences(normal).Select(PromptParaphrase.Score).Select(s => $"{s.Shared}/{s.Content}");
        return $"[{PromptParaphrase.MetaTalkIn(normal) ?? "no meta"}; overlap {string.Join(" ", scores)}]";
    }

    /// <summary>Every line of every rules script: goals × channels × languages × stages × DISC styles (and none), all objections raised.</summary>
    private static IEnumerable<string> ScriptLines()
    {
        var styles = new DiscProfile?[] { null, new(0.9, 0.1, 0.1, 0.1, 5, 0.9), new(0.1, 0.9, 0.1, 0.1, 5, 0.9), new(0.1, 0.1, 0.9, 0.1, 5, 0.9), new(0.1, 0.1, 0.1, 0.9, 5, 0.9) };
        var objections = RulesScriptWriter.ObjectionNames.Values.ToList();
        foreach (var goal in Enum.GetValues<ScriptGoal>())
        {
            foreach (var channel in Enum.GetValues<ScriptChannel>())
            {
                foreach (var lang in new[] { "en", "de" })
                {
                    foreach (var state in Enum.GetValues<ConversationState>())
                    {
                        foreach (var disc in styles)
                        {
                            var profile = disc is null ? null : LeadProfile.New("acme", "lead-1") with { Disc = disc };
                            var script = RulesScriptWriter.Write(new ScriptRequest(goal, channel, lang, "Anna", "Acme", state, profile, objections));
                            foreach (var line in script.Sections.SelectMany(s => s.Lines))
                            {
                                yield return line;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Every template of the rules brain, in both languages, placeholders filled.</summary>
    private static IEnumerable<string> TemplateTexts()
    {
        var variants = new List<ReplyTemplates.Variants>();
        variants.AddRange(ReplyTemplates.Openers.Values);
        variants.AddRange(ReplyTemplates.IntentQuestions.Values);
        variants.AddRange(ReplyTemplates.StateQuestions.Values);
        variants.AddRange(ReplyTemplates.Objections.Values.SelectMany(o => new[] { o.Opener, o.Question }));
        variants.AddRange([ReplyTemplates.EmailGreetingOpeners, ReplyTemplates.PostPurchaseThanks, ReplyTemplates.StronglyNegative, ReplyTemplates.EmailExtra]);
        return variants.SelectMany(v => v.En.Concat(v.De))
            .Select(t => t.Replace("{hi}", "Hi Anna", StringComparison.Ordinal).Replace("{, name}", ", Anna", StringComparison.Ordinal).Replace("{client}", "Acme", StringComparison.Ordinal));
    }

    /// <summary>What the rules brain writes for every state, intent, language and channel, over several turns and lead texts.</summary>
    private static IEnumerable<string> GeneratedReplies()
    {
        string[] leadTexts =
        [
            "Hi there", "That is too expensive for us", "We have no time right now", "We already have a solution",
            "I'm not sure yet", "Not interested", "Can you tell me more?", "Das ist uns zu teuer", "Wir haben gerade keine Zeit",
        ];
        foreach (var state in Enum.GetValues<ConversationState>())
        {
            foreach (var intent in Enum.GetValues<Intent>())
            {
                foreach (var lang in new[] { "en", "de" })
                {
                    foreach (var channel in new[] { ChannelKind.WhatsApp, ChannelKind.Email })
                    {
                        foreach (var text in leadTexts)
                        {
                            for (var turn = 1; turn <= 3; turn++)
                            {
                                var sentiment = turn == 3 ? Sentiment.Negative : Sentiment.Neutral;
                                yield return RulesReplyGenerator.Generate(new ReplyRequest(state, state, new MessageAnalysis(lang, intent, sentiment, turn == 3 ? -0.9 : 0, 0.8), "Anna", channel, text, turn, "Acme"));
                            }
                        }
                    }
                }
            }
        }
    }
}
