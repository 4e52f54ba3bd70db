using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Coaching;

/// <summary>What a rep wants to achieve with a call or message.</summary>
public enum ScriptGoal
{
    Qualify,
    BookMeeting,
    HandleObjection,
    Close,
    FollowUp,
    ReEngage,
}

/// <summary>How the rep reaches the lead: a phone call, or a message on one of the channels.</summary>
public enum ScriptChannel
{
    Call,
    WhatsApp,
    Sms,
    Email,
}

public static class ScriptNames
{
    public static string ToWire(this ScriptGoal goal) => goal switch
    {
        ScriptGoal.BookMeeting => "book_meeting",
        ScriptGoal.HandleObjection => "handle_objection",
        ScriptGoal.FollowUp => "follow_up",
        ScriptGoal.ReEngage => "re_engage",
        _ => goal.ToString().ToLowerInvariant(),
    };

    public static string ToWire(this ScriptChannel channel) => channel.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> Goals { get; } = Enum.GetValues<ScriptGoal>().Select(ToWire).ToList();

    public static bool TryParseGoal(string? value, out ScriptGoal goal)
    {
        foreach (var candidate in Enum.GetValues<ScriptGoal>())
        {
            if (string.Equals(candidate.ToWire(), value, StringComparison.OrdinalIgnoreCase))
            {
                goal = candidate;
                return true;
            }
        }

        goal = default;
        return false;
    }
}

/// <summary>What the script is written from: the lead as SalesFlow knows it.</summary>
/// <param name="Objections">The kinds of objection the lead raised lately, oldest first, as wire names (price, timing, status_quo, undecided, not_interested, commitment, general).</param>
public sealed record ScriptRequest(
    ScriptGoal Goal,
    ScriptChannel Channel,
    string Language,
    string? LeadFirstName,
    string ClientName,
    ConversationState State,
    LeadProfile? Profile,
    IReadOnlyList<string> Objections);

/// <summary>One part of a script ("opener", "discovery", "objections", "ask", "close", "message") and its lines.</summary>
public sealed record ScriptSection(string Name, IReadOnlyList<string> Lines);

/// <summary>A call or message script and what it was personalised by.</summary>
/// <param name="Style">The lead's DISC primary style the wording follows; null when not known yet.</param>
/// <param name="BantGaps">The BANT criteria still open ("budget", "authority", "need", "timeline") the discovery asks about.</param>
public sealed record SalesScript(
    ScriptGoal Goal,
    ScriptChannel Channel,
    string Language,
    string? Style,
    IReadOnlyList<string> BantGaps,
    IReadOnlyList<string> Objections,
    IReadOnlyList<ScriptSection> Sections);
