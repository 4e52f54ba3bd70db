using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Meetings and slot offers in the <c>leads</c> container (pk <c>/clientId</c>), next to the lead, so no container (and
/// no infra change) is added and every read is a point read or a single-partition query. A meeting's document id is the
/// hash of its idempotency key (<c>meeting:{hash}</c>): creating it is the atomic insert-if-absent. The offer is
/// <c>offer:{hash of leadId}</c>. Times the queries compare are also stored as Unix milliseconds.
/// </summary>
public sealed class CosmosMeetingStore(CosmosContainers containers) : IMeetingStore
{
    internal const string MeetingType = "meeting";
    internal const string OfferType = "slotOffer";

    private Container Leads => containers.Leads;

    public async Task<Meeting?> GetAsync(string clientId, string meetingId, CancellationToken ct) =>
        (await QueryAsync(clientId, "c.meetingId = @v", meetingId, ct)).FirstOrDefault();

    public async Task<IReadOnlyList<Meeting>> ListForLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        [.. (await QueryAsync(clientId, "c.leadId = @v", leadId, ct)).OrderByDescending(m => m.Start).ThenByDescending(m => m.Id, StringComparer.Ordinal)];

    public async Task<Meeting?> FindByExternalIdAsync(string clientId, string externalId, CancellationToken ct) =>
        (await QueryAsync(clientId, "c.externalId = @v", externalId, ct)).FirstOrDefault();

    public async Task<(Meeting Meeting, bool Created)> AddAsync(Meeting meeting, CancellationToken ct)
    {
        var doc = ToDocument(meeting);
        try
        {
            var created = await Leads.CreateItemAsync(doc, new PartitionKey(meeting.ClientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return (meeting with { ETag = created.ETag }, true);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await Leads.ReadOrNullAsync(doc.String("id")!, meeting.ClientId, ct);
            return (FromDocument(existing!), false);
        }
    }

    public async Task<Meeting> ReplaceAsync(Meeting meeting, CancellationToken ct)
    {
        var replaced = await Leads.ReplaceGuardedAsync(ToDocument(meeting), meeting.ClientId, meeting.ETag, $"Meeting {meeting.Id}", ct);
        return meeting with { ETag = CosmosDocuments.ETagOf(replaced) };
    }

    public async Task<SlotOffer?> GetOfferAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await Leads.ReadOrNullAsync(OfferId(leadId), clientId, ct);
        return doc is not null && doc.String("type") == OfferType ? CosmosDocuments.FromDocument<SlotOffer>(doc) : null;
    }

    public Task SaveOfferAsync(SlotOffer offer, CancellationToken ct) =>
        Leads.UpsertItemAsync(CosmosDocuments.ToDocument(offer, OfferType, OfferId(offer.LeadId)), new PartitionKey(offer.ClientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);

    public Task DeleteOfferAsync(string clientId, string leadId, CancellationToken ct) => Leads.TryDeleteAsync(OfferId(leadId), clientId, ct);

    /// <summary>Counted here, not with COUNT: a day's bookings are few, and an aggregate needs a query plan the stand-in cannot make.</summary>
    public async Task<int> CountBookedAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT c.id FROM c WHERE c.clientId = @c AND c.type = @t AND c.status = @s AND c.createdAtMs >= @from AND c.createdAtMs < @to")
            .WithParameter("@c", clientId)
            .WithParameter("@t", MeetingType)
            .WithParameter("@s", MeetingStatus.Booked)
            .WithParameter("@from", from.Ms())
            .WithParameter("@to", to.Ms());
        return (await Leads.QueryAsync(query, clientId, ct)).Count;
    }

    public async Task<IReadOnlyList<Meeting>> ListActiveBetweenAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.clientId = @c AND c.type = @t AND (c.status = @requested OR c.status = @booked) AND c.startAtMs < @to AND c.endAtMs > @from")
            .WithParameter("@c", clientId)
            .WithParameter("@t", MeetingType)
            .WithParameter("@requested", MeetingStatus.Requested)
            .WithParameter("@booked", MeetingStatus.Booked)
            .WithParameter("@from", from.Ms())
            .WithParameter("@to", to.Ms());
        return [.. (await Leads.QueryAsync(query, clientId, ct)).Select(FromDocument).OrderBy(m => m.Start)];
    }

    internal static string MeetingDocId(string idempotencyKey) => CosmosDocuments.KeyId(MeetingType, idempotencyKey);

    internal static string OfferId(string leadId) => CosmosDocuments.KeyId("offer", leadId);

    private async Task<List<Meeting>> QueryAsync(string clientId, string filter, string value, CancellationToken ct)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE c.clientId = @c AND c.type = @t AND {filter}")
            .WithParameter("@c", clientId)
            .WithParameter("@t", MeetingType)
            .WithParameter("@v", value);
        return [.. (await Leads.QueryAsync(query, clientId, ct)).Select(FromDocument)];
    }

    private static JsonObject ToDocument(Meeting meeting)
    {
        var doc = CosmosDocuments.ToDocument(meeting, MeetingType, MeetingDocId(meeting.IdempotencyKey));
        doc["meetingId"] = meeting.Id;
        doc["startAtMs"] = meeting.Start.Ms();
        doc["endAtMs"] = meeting.End.Ms();
        doc["createdAtMs"] = meeting.CreatedAt.Ms();
        return doc;
    }

    private static Meeting FromDocument(JsonObject doc) => CosmosDocuments.FromDocument<Meeting>(doc, "meetingId");
}
