using SalesFlow.Core.Channels;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class ComplianceApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/compliance").WithTags("Compliance").RequireClientKey();
        api.MapGet("/audit", ListAuditAsync).WithName("ListComplianceAudit")
            .WithSummary($"The compliance filter's verdicts on replies, newest first; filter by lead and verdict. Paged: limit 1..{MaxLimit} (default {DefaultLimit}), then ?cursor=<next> until next is null.")
            .Produces<ComplianceAuditPageDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/check", CheckAsync).WithName("CheckCompliance")
            .WithSummary($"A dry run of the compliance filter the replies go through: {{text (1..{MaxCheckLength} chars), leadId?, channel?}} → {{verdict: allow|rewrite|block, rules, safeText}}. Nothing is written to the audit log.")
            .Produces<ComplianceCheckDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public const int MaxCheckLength = 4000;

    public sealed record CheckRequest(string? Text, string? LeadId, string? Channel);

    private static readonly Dictionary<string, string> RuleDescriptions = new(StringComparer.Ordinal)
    {
        [ComplianceRules.Guarantee] = "Guarantees and absolute promises.",
        [ComplianceRules.InventedFigure] = "A price, discount, free offer or percentage that neither the client's knowledge nor the lead wrote.",
        [ComplianceRules.Pressure] = "False urgency and pressure.",
        [ComplianceRules.Scarcity] = "Fake scarcity.",
        [ComplianceRules.AdviceClaim] = "Legal, tax, medical or financial advice presented as fact.",
        [ComplianceRules.Disparaging] = "Insults, discriminating remarks or unfounded claims about competitors.",
        [ComplianceRules.ThirdPartyContact] = "An e-mail address or phone number that is neither the lead's nor the client's.",
        [ComplianceRules.Length] = "Longer than the channel allows.",
        [ComplianceRules.ProtectedWording] = "Opt-out or hand-over wording would have changed.",
        [ComplianceRules.BannedPhrase] = "A phrase the client banned (compliance.bannedPhrases).",
        [ComplianceRules.AiDisclosure] = "The client's AI disclosure was put in front of the conversation's first message (compliance.aiDisclosure).",
    };

    /// <summary>
    /// The filter's verdict on a text, as a reply to the lead would get it: with the client's own rules (banned phrases;
    /// the AI disclosure when the text would be the conversation's first message: always without a lead), the figures
    /// of the client's knowledge found for what the lead last wrote (for the text itself without a lead) and, with a
    /// leadId, the lead's own words, e-mail address and phone number. A dry run: the audit log records only what is sent.
    /// </summary>
    private static async Task<IResult> CheckAsync(CheckRequest? request, HttpContext http, IComplianceFilter filter, ILeadStore leads, IConversationStore conversations, TurnKnowledge knowledge, CancellationToken ct)
    {
        var text = request?.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return ErrorHandling.BadField(http, "text", "text is required: the message to check.");
        }

        if (text.Length > MaxCheckLength || text.Contains('\0'))
        {
            return ErrorHandling.BadField(http, "text", $"text must be readable text of at most {MaxCheckLength} characters.");
        }

        var channel = ChannelKind.Email;
        if (request!.Channel is not null && !ChannelKindNames.TryParse(request.Channel, out channel))
        {
            return ErrorHandling.BadField(http, "channel", "channel must be one of the channel names (whatsapp, sms, email, …).");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var contacts = new List<string>();
        var leadText = "";
        var firstMessage = true;
        if (!string.IsNullOrWhiteSpace(request.LeadId))
        {
            var lead = await leads.GetAsync(client.Id, request.LeadId, ct);
            if (lead is null)
            {
                return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Lead '{request.LeadId}' was not found.", "leadId");
            }

            contacts.AddRange(new[] { lead.Email, lead.Phone }.OfType<string>());
            if (await conversations.FindForLeadAsync(client.Id, lead.Id, ct) is { } conversation)
            {
                firstMessage = conversation.TurnCount == 0;
                var recent = await conversations.ListMessagesAsync(client.Id, conversation.Id, RecentMessages, ct);
                leadText = recent.LastOrDefault(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted())?.Text ?? "";
            }
        }

        var passages = (await knowledge.ForAsync(client.Id, client.Name, leadText.Length > 0 ? leadText : text, null, TurnKnowledge.NoEarlierText, ct)).Passages;
        var policy = CompliancePolicy.For(client, firstMessage);
        var result = filter.Check(new ComplianceInput(text, channel, OutboxPurpose.Reply, leadText, passages, contacts, "", policy));
        return TypedResults.Ok(new ComplianceCheckDto(CheckVerdict(result.Verdict), RuleViews(result.RuleIds), result.Verdict == ComplianceVerdict.Blocked ? "" : result.Text));
    }

    /// <summary>The check's names for the verdicts: what happens to the text (the audit log keeps the stored names).</summary>
    public static string CheckVerdict(ComplianceVerdict verdict) => verdict switch
    {
        ComplianceVerdict.Pass => "allow",
        ComplianceVerdict.Rewritten => "rewrite",
        _ => "block",
    };

    public static IReadOnlyList<ComplianceRuleDto> RuleViews(IEnumerable<string> ruleIds) => [.. ruleIds.Select(id => new ComplianceRuleDto(id, RuleDescriptions.GetValueOrDefault(id, id)))];

    /// <summary>Messages read to find what the lead last wrote.</summary>
    private const int RecentMessages = 20;

    private static async Task<IResult> ListAuditAsync(HttpContext http, IComplianceAuditLog audit, string? leadId, string? verdict, string? cursor, string? limit, CancellationToken ct)
    {
        ComplianceVerdict? wanted = null;
        if (verdict is not null)
        {
            if (!ComplianceVerdictNames.TryParse(verdict, out var parsed))
            {
                return ErrorHandling.BadField(http, "verdict", "verdict must be one of pass, rewritten, blocked.");
            }

            wanted = parsed;
        }

        leadId = string.IsNullOrWhiteSpace(leadId) ? null : leadId;
        var listing = Paging.Listing("compliance-audit", leadId, wanted?.ToWire());
        if (Paging.TryRead(http, listing, cursor, limit, DefaultLimit, MaxLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var found = await audit.ListPageAsync(client.Id, leadId, wanted, page.After, page.Limit, ct);
        return TypedResults.Ok(new ComplianceAuditPageDto([.. found.Items.Select(ComplianceAuditDto.From)], Paging.Cursor(http, listing, found.Next)));
    }
}
