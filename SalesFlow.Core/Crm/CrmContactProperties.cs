using System.Globalization;
using SalesFlow.Core.Coaching;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Crm;

/// <summary>What SalesFlow knows about a lead, gathered for one sync.</summary>
public sealed record CrmLeadSnapshot(Lead Lead, LeadProfile? Profile, ConversationSummary? Summary, Conversation? Conversation, string? Language)
{
    public ConversationState State => Conversation?.State ?? ConversationState.InitialContact;
}

/// <summary>
/// The contact properties SalesFlow writes: HubSpot's own (e-mail, phone, name, company, job title) and the custom
/// <c>ai_*</c> properties, built only from what exists (an unknown value is left out, never written empty).
/// </summary>
public static class CrmContactProperties
{
    /// <summary>HubSpot's limit for a text property value is 65,536 characters; ours stay far below it.</summary>
    private const int MaxTextLength = 4000;

    public static IReadOnlyList<CrmPropertyDefinition> Custom { get; } =
    [
        new("ai_lead_score", "AI lead score", "number", "number", "SalesFlow: BANT score 0–100."),
        new("ai_temperature", "AI temperature", "string", "text", "SalesFlow: hot, warm or cold (from the BANT score)."),
        new("ai_bant_summary", "AI BANT summary", "string", "textarea", "SalesFlow: budget, authority, need and timeline as the lead stated them."),
        new("ai_disc", "AI DISC style", "string", "text", "SalesFlow: the lead's DISC communication style (D, I, S, C) and how sure the reading is."),
        new("ai_next_best_action", "AI next best action", "string", "textarea", "SalesFlow: what the rep should do next (the sales coach's playbook for the stage)."),
        new("ai_last_conversation", "AI last conversation", "string", "textarea", "SalesFlow: the stage, the last message time and the conversation summary."),
    ];

    public static Dictionary<string, string> Build(CrmLeadSnapshot s)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var facts = s.Profile?.Facts ?? ProfileFacts.Empty;
        Put(properties, "email", s.Lead.Email ?? facts.Email);
        Put(properties, "phone", s.Lead.Phone);
        var name = s.Lead.Name ?? facts.Name;
        if (!string.IsNullOrWhiteSpace(name))
        {
            var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            Put(properties, "firstname", parts[0]);
            Put(properties, "lastname", parts.Length > 1 ? parts[1] : null);
        }

        Put(properties, "company", facts.Company);
        Put(properties, "jobtitle", facts.Role);

        var bant = s.Profile?.Bant ?? BantAssessment.Empty;
        properties["ai_lead_score"] = Math.Round(bant.Overall * 100).ToString(CultureInfo.InvariantCulture);
        properties["ai_temperature"] = bant.Temperature;
        properties["ai_bant_summary"] = BantSummary(bant, facts);
        if (s.Profile?.Disc is { Samples: > 0 } disc)
        {
            properties["ai_disc"] = $"{disc.Primary ?? "unclear"} (confidence {disc.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})";
        }

        properties["ai_next_best_action"] = Clip(NextBestAction(s));
        properties["ai_last_conversation"] = Clip(LastConversation(s));
        return properties;
    }

    /// <summary>
    /// The rules sales coach's answer for the lead's stage, DISC style and open BANT criteria (the same playbook a rep
    /// gets from the coach API), in German for a German-speaking client.
    /// </summary>
    public static string NextBestAction(CrmLeadSnapshot s)
    {
        var german = (s.Language ?? "").StartsWith("de", StringComparison.OrdinalIgnoreCase);
        var request = new CoachRequest(
            s.Lead.ClientId,
            s.Lead.Id,
            "",
            s.State,
            s.Profile,
            [],
            "",
            german ? "Was ist der nächste beste Schritt?" : "What is the next best action?");
        return RulesSalesCoach.Answer(request);
    }

    private static string LastConversation(CrmLeadSnapshot s)
    {
        var at = s.Conversation?.LastInboundAt is { } last ? last.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "no message yet";
        var head = $"Stage {s.State.ToWire()}, last message {at}.";
        return s.Summary is { Text.Length: > 0 } summary ? head + " " + summary.Text : head;
    }

    private static string BantSummary(BantAssessment bant, ProfileFacts facts) => string.Join("; ",
        Dimension("Budget", bant.Budget, facts.Budget),
        Dimension("Authority", bant.Authority, facts.Role),
        Dimension("Need", bant.Need, facts.PainPoints.FirstOrDefault()),
        Dimension("Timeline", bant.Timeline, facts.Timeline));

    private static string Dimension(string label, BantDimension dimension, string? fact)
    {
        var stated = fact ?? dimension.Evidence.FirstOrDefault();
        var score = dimension.Score.ToString("0.00", CultureInfo.InvariantCulture);
        return stated is null ? $"{label}: open ({score})" : $"{label}: {stated} ({score})";
    }

    private static void Put(Dictionary<string, string> properties, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            properties[name] = value.Trim();
        }
    }

    private static string Clip(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];
}
