using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Coaching;

/// <summary>A script as the rep gets it: every line through the compliance filter, with what the filter did.</summary>
/// <param name="Verdict">Pass when no line changed, Rewritten when a line lost a sentence, Blocked when a line was dropped.</param>
public sealed record VettedScript(SalesScript Script, ComplianceVerdict Verdict, IReadOnlyList<string> RuleIds);

/// <summary>
/// Writes a rep's script for one lead (<see cref="RulesScriptWriter"/>) from its profile and its latest messages, and
/// vets every line with the compliance filter under the client's own rules, as any message to the lead would be.
/// </summary>
public sealed class SalesScriptService(ILeadProfileStore profiles, IConversationStore conversations, IComplianceFilter filter)
{
    /// <summary>The lead's latest messages read for objections it raised.</summary>
    public const int ObjectionWindow = 5;

    public async Task<VettedScript> WriteAsync(Client client, Lead lead, ScriptGoal goal, ScriptChannel channel, CancellationToken ct)
    {
        var profile = await profiles.GetAsync(client.Id, lead.Id, ct);
        var conversation = await conversations.FindForLeadAsync(client.Id, lead.Id, ct);
        IReadOnlyList<Message> messages = conversation is null ? [] : await conversations.ListMessagesAsync(client.Id, conversation.Id, 50, ct);
        var fromLead = messages.Where(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted()).TakeLast(ObjectionWindow).ToList();
        var objections = fromLead
            .Where(m => RulesInsightsExtractor.Analyze(m.Text).Intent == Intent.Objection)
            .Select(m => RulesScriptWriter.ObjectionNames[RulesReplyGenerator.ClassifyObjection(m.Text)])
            .ToList();
        var language = lead.Language ?? client.Config?.Language ?? "en";
        var script = RulesScriptWriter.Write(new ScriptRequest(
            goal, channel, language.StartsWith("de", StringComparison.OrdinalIgnoreCase) ? "de" : "en", PersonName.AddressOf(profile?.Facts.Name) ?? lead.AddressedAs, client.Name, conversation?.State ?? ConversationState.InitialContact, profile, objections));
        return Vet(script, client, lead, string.Join('\n', fromLead.Select(m => m.Text)));
    }

    private VettedScript Vet(SalesScript script, Client client, Lead lead, string leadText)
    {
        // A rep sends or says it as themselves: no AI disclosure, the client's banned phrases and every other rule apply.
        var policy = CompliancePolicy.For(client, firstMessage: false);
        var contacts = new[] { lead.Email, lead.Phone }.OfType<string>().ToList();
        // A call script has no length limit; a message keeps to its channel's.
        var channel = script.Channel switch { ScriptChannel.WhatsApp => ChannelKind.WhatsApp, ScriptChannel.Sms => ChannelKind.Sms, _ => ChannelKind.Email };
        var verdict = ComplianceVerdict.Pass;
        var rules = new List<string>();
        var sections = new List<ScriptSection>();
        foreach (var section in script.Sections)
        {
            var lines = new List<string>();
            foreach (var line in section.Lines)
            {
                var result = filter.Check(new ComplianceInput(line, channel, OutboxPurpose.Reply, leadText, [], contacts, "", policy));
                rules.AddRange(result.RuleIds);
                verdict = (ComplianceVerdict)Math.Max((int)verdict, (int)result.Verdict);
                if (result.Verdict != ComplianceVerdict.Blocked && result.Text.Length > 0)
                {
                    lines.Add(result.Text);
                }
            }

            if (lines.Count > 0)
            {
                sections.Add(section with { Lines = lines });
            }
        }

        return new VettedScript(script with { Sections = sections }, verdict, rules.Distinct().ToList());
    }
}
