using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// A reply after which a person has to act, and nobody was told: a lead reporting a problem ("Ich bin schon Kunde und
/// seit gestern kommen keine WhatsApp Nachrichten mehr an") is told a colleague will look into it; a question the
/// client's knowledge base has no answer to ("what about zapier?") is told the team will check. The reply's copy in the
/// conversation carries the kind's metadata key, and the next best actions give it to a person (Recommendations). Not
/// an escalation: the brain's support reading also takes in prompt injections and other oddities, and an escalated
/// lead gets no more automatic answers.
/// </summary>
public enum ColleagueFollowUp
{
    SupportCase,
    OpenQuestion,
}

public static class ColleagueFollowUps
{
    private static readonly Dictionary<ColleagueFollowUp, IReadOnlyDictionary<string, string>> Metadata = Enum.GetValues<ColleagueFollowUp>()
        .ToDictionary(kind => kind, kind => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [kind.MetadataKey()] = "true" });

    /// <summary>The metadata key on the reply's copy ("supportCase" is what replies stored before the open questions carry).</summary>
    public static string MetadataKey(this ColleagueFollowUp kind) => kind switch
    {
        ColleagueFollowUp.SupportCase => "supportCase",
        _ => "openQuestion",
    };

    /// <summary>What a reply to this turn leaves to a person, if anything; the same reading the rules brain's reply follows.</summary>
    public static ColleagueFollowUp? For(ReplyRequest request) =>
        request.Analysis.Intent == Intent.Support ? ColleagueFollowUp.SupportCase
        : RulesReplyGenerator.LeavesTheQuestionToTheTeam(request) ? ColleagueFollowUp.OpenQuestion
        : null;

    public static IReadOnlyDictionary<string, string>? MetadataFor(ColleagueFollowUp? kind) => kind is { } k ? Metadata[k] : null;

    /// <summary>When SalesFlow last sent a reply of this kind among <paramref name="messages"/>; null when it did not.</summary>
    public static DateTimeOffset? LatestIn(IEnumerable<Message> messages, ColleagueFollowUp kind) =>
        messages.Where(m => m.Direction == MessageDirection.Outbound && m.Metadata.ContainsKey(kind.MetadataKey())).Select(m => (DateTimeOffset?)m.CreatedAt).Max();
}
