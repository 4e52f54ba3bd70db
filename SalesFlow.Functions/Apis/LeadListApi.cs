using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The team's lead list, from the stored score snapshots (one row per lead that had a turn or a score read): filtered by
/// temperature, state and text, sorted, keyset-paged with the app's signed cursor. Name and flags are read live.
/// </summary>
public static class LeadListApi
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    private const int MaxQueryLength = 100;
    private static readonly string[] Temperatures = ["hot", "warm", "cold"];
    private static readonly string[] Sorts = ["score", "-score", "updated", "-updated", "created", "-created", "name", "-name"];

    public static IEndpointRouteBuilder MapLeadListApi(this IEndpointRouteBuilder app)
    {
        // Grouped under /api, not /api/leads: the route is then exactly /api/leads (no trailing slash in the route table and OpenAPI).
        app.MapGroup("/api").WithTags("Leads").RequireClientKey()
            .MapGet("/leads", ListAsync).WithName("ListLeads")
            .WithSummary($"The lead list: temperature (hot|warm|cold), state (wire name), q (name, e-mail or phone contains), sort ({string.Join('|', Sorts)}; default -updated). Paged: limit 1..{MaxLimit} (default {DefaultLimit}), then ?cursor=<next> until next is null.")
            .Produces<LeadListPageDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ILeadScoreStore scores, ILeadStore leads, string? temperature, string? state, string? q, string? sort, string? cursor, string? limit, CancellationToken ct)
    {
        var temp = temperature?.Trim().ToLowerInvariant();
        if (temperature is not null && !Temperatures.Contains(temp))
        {
            return ErrorHandling.BadField(http, "temperature", "temperature must be one of hot, warm, cold.");
        }

        if (state is not null && !Enum.GetValues<ConversationState>().Any(s => s.ToWire() == state))
        {
            return ErrorHandling.BadField(http, "state", $"state must be one of {string.Join(", ", Enum.GetValues<ConversationState>().Select(s => s.ToWire()))}.");
        }

        var text = q?.Trim().ToLowerInvariant();
        if (text is { Length: > MaxQueryLength } || (text?.Any(char.IsControl) ?? false))
        {
            return ErrorHandling.BadField(http, "q", $"q must be one line of at most {MaxQueryLength} characters.");
        }

        var order = string.IsNullOrEmpty(sort) ? "-updated" : sort.Trim().ToLowerInvariant();
        if (!Sorts.Contains(order))
        {
            return ErrorHandling.BadField(http, "sort", $"sort must be one of {string.Join(", ", Sorts)}.");
        }

        var listing = Paging.Listing("leads", temp, state, text, order);
        if (Paging.TryRead(http, listing, cursor, limit, DefaultLimit, MaxLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var by = Enum.Parse<LeadSort>(order.TrimStart('-'), ignoreCase: true);
        var query = new LeadListQuery(temp, state, string.IsNullOrEmpty(text) ? null : text, by, order.StartsWith('-'), page.After?.Id, page.Limit + 1);
        var found = Page<LeadScoreSnapshot>.From(await scores.ListAsync(client.Id, query, ct), page.Limit, s => new PagePosition(0, s.SortKey(by)));
        List<LeadListRowDto> items = [];
        foreach (var row in found.Items)
        {
            // Name and flags as they are now (a release or an erasure since the last score); a lead erased meanwhile is left out.
            if (await leads.GetAsync(client.Id, row.LeadId, ct) is { } lead)
            {
                items.Add(Row(row, lead));
            }
        }

        return TypedResults.Ok(new LeadListPageDto(items, Paging.Cursor(http, listing, found.Next)));
    }

    private static LeadListRowDto Row(LeadScoreSnapshot s, Lead lead) => new(
        s.LeadId,
        lead.Name,
        lead.Email,
        lead.Phone,
        s.Channels,
        s.State,
        s.Score.Temperature,
        new LeadListScoreDto(s.Score.Probability, s.Score.Health, s.Model, s.ComputedAt),
        s.LastMessageAt is null ? null : new LeadListMessageDto(s.LastMessageText, s.LastMessageAt),
        lead.Escalated,
        lead.OptedOut,
        lead.CreatedAt);
}
