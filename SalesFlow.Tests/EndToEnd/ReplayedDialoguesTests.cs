using System.Text.Json;
using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The user turns of dialogues written by other people (Fixtures/Dialogues/sgd-test.tsv, see its SOURCES.md; never in
/// data/brain) replayed, one lead per dialogue, over HTTP against the whole app: the first turn through
/// POST /api/conversations, the rest through POST /api/conversations/{id}/messages. Every turn must get a reply,
/// unless the lead is escalated or opted out at that point and GET /api/leads/{id} says so.
/// </summary>
public sealed class ReplayedDialoguesTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Measured on the 48 dialogues (223 turns) before choosing: 12 replies repeated the previous one word for word
    /// (at most 2 in one dialogue) before RulesReplyGenerator learnt to avoid its last reply; 2 after (both meeting
    /// replies: the same slot offer or slot question again, at most 1 per dialogue). One repeat per dialogue is allowed
    /// (a lead who asks the same thing twice may fairly get the same answer); a bot that answers three turns in a row
    /// with the same text, which is what looping looks like to the lead, fails.
    /// </summary>
    private const int MaxVerbatimRepeatsPerDialogue = 1;

    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryTurnOfReplayedDialoguesIsAnsweredOrTheLeadIsEscalatedOrOptedOut()
    {
        var dialogues = ReplayedDialogues.Load("sgd-test.tsv");
        Assert.InRange(dialogues.Count, 40, 60);

        var tally = new ReplayTally();
        var silentWithoutReason = new List<string>();
        var loops = new List<string>();
        var number = 0;
        foreach (var (dialogueId, turns) in dialogues)
        {
            var replays = await ReplayAsync(++number, dialogueId, turns, tally, silentWithoutReason);
            var repeatedAt = Enumerable.Range(1, replays.Count - 1).Where(i => replays[i].Length > 0 && replays[i] == replays[i - 1]).ToList();
            var repeats = repeatedAt.Count;
            tally.Repeats += repeats;
            repeatedAt.ForEach(i => output.WriteLine($"repeat {dialogueId} turn {i + 1}: \"{turns[i]}\" -> \"{replays[i]}\""));
            if (repeats > MaxVerbatimRepeatsPerDialogue)
            {
                loops.Add($"{dialogueId}: {repeats} verbatim repeats, e.g. \"{replays.GroupBy(r => r).MaxBy(g => g.Count())!.Key}\"");
            }
        }

        output.WriteLine($"dialogues {dialogues.Count}, turns {tally.Turns}, answered {tally.Answered}, silent with reason {tally.SilentWithReason} (escalated {tally.Escalated}, opted out {tally.OptedOut}), silent without reason {silentWithoutReason.Count}, verbatim repeats of the previous reply {tally.Repeats}");
        silentWithoutReason.ForEach(output.WriteLine);
        loops.ForEach(output.WriteLine);
        Assert.Empty(silentWithoutReason);
        Assert.Empty(loops);
        Assert.Equal(tally.Turns, tally.Answered + tally.SilentWithReason);
    }

    private async Task<List<string>> ReplayAsync(int number, string dialogueId, IReadOnlyList<string> turns, ReplayTally tally, List<string> silentWithoutReason)
    {
        var replies = new List<string>();
        string? conversationId = null, leadId = null;
        for (var i = 0; i < turns.Count; i++)
        {
            JsonElement answer;
            if (conversationId is null)
            {
                // One lead per dialogue: a phone number of its own, derived from the position so a rerun is the same.
                answer = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = $"+49170{1_000_000 + number}", message = turns[i] });
                (conversationId, leadId) = (answer.Str("conversationId"), answer.Str("leadId"));
            }
            else
            {
                answer = await _app.Http.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { message = turns[i] });
            }

            tally.Turns++;
            var reply = answer.GetProperty("reply") is { ValueKind: JsonValueKind.String } r ? r.GetString()!.Trim() : "";
            replies.Add(reply);
            output.WriteLine($"{dialogueId}.{i + 1} [{answer.Str("state")}] {turns[i]} => {reply}");
            if (reply.Length > 0)
            {
                tally.Answered++;
                continue;
            }

            var lead = await _app.Http.GetJsonAsync($"/api/leads/{leadId}");
            var (escalated, optedOut) = (lead.GetProperty("escalated").GetBoolean(), lead.GetProperty("optedOut").GetBoolean());
            if (escalated || optedOut)
            {
                tally.SilentWithReason++;
                tally.Escalated += escalated ? 1 : 0;
                tally.OptedOut += optedOut && !escalated ? 1 : 0;
            }
            else
            {
                silentWithoutReason.Add($"{dialogueId} turn {i + 1}: \"{turns[i]}\" got no reply (state {answer.Str("state")})");
            }
        }

        return replies;
    }

    private sealed class ReplayTally
    {
        public int Turns { get; set; }

        public int Answered { get; set; }

        public int SilentWithReason { get; set; }

        public int Escalated { get; set; }

        public int OptedOut { get; set; }

        public int Repeats { get; set; }
    }
}

/// <summary>Reads Fixtures/Dialogues/*.tsv (dialogue_id, turn, text) into each dialogue's user turns, in order.</summary>
internal static class ReplayedDialogues
{
    public static IReadOnlyList<(string DialogueId, IReadOnlyList<string> Turns)> Load(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dialogues", file))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .GroupBy(cells => cells[0])
            .Select(g => (g.Key, (IReadOnlyList<string>)g.OrderBy(c => int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture)).Select(c => c[2]).ToList()))
            .ToList();
}
