using System.Text.Json;
using SalesFlow.Core.Common;
using SalesFlow.Core.Crm;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>CRM links as one JSON document per lead; deal_id and next_retry_at are columns for the two lookups; the etag column guards every replace.</summary>
public sealed class SqliteCrmLinkStore(SqliteDatabase db) : ICrmLinkStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<CrmLink?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        FirstAsync("client_id = $c AND lead_id = $l", ("$c", clientId), ("$l", leadId));

    public Task<CrmLink?> FindByDealAsync(string clientId, string dealId, CancellationToken ct) =>
        FirstAsync("client_id = $c AND deal_id = $d", ("$c", clientId), ("$d", dealId));

    public Task<IReadOnlyList<CrmLink>> ListRetryDueAsync(DateTimeOffset now, int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CrmLink>>(async c => await c.Command(
                "SELECT link_json, etag FROM crm_links WHERE next_retry_at IS NOT NULL AND next_retry_at <= $now ORDER BY next_retry_at LIMIT $max",
                null,
                ("$now", now.Ms()),
                ("$max", Math.Max(0, max))).QueryAsync(Read));

    public Task<CrmLink> SaveAsync(CrmLink link, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var next = link with { ETag = Ids.New("e") };
            var json = JsonSerializer.Serialize(next with { ETag = "" }, Json);
            var parameters = new (string, object?)[]
            {
                ("$c", link.ClientId), ("$l", link.LeadId), ("$d", link.DealId), ("$r", link.NextRetryAt?.Ms()), ("$j", json), ("$e", next.ETag), ("$old", link.ETag),
            };
            var changed = link.ETag.Length == 0
                ? await c.Command("INSERT OR IGNORE INTO crm_links (client_id, lead_id, deal_id, next_retry_at, link_json, etag) VALUES ($c, $l, $d, $r, $j, $e)", t, parameters).ExecAsync()
                : await c.Command("UPDATE crm_links SET deal_id = $d, next_retry_at = $r, link_json = $j, etag = $e WHERE client_id = $c AND lead_id = $l AND etag = $old", t, parameters).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"CRM link of lead {link.LeadId} changed meanwhile.");
        }, ct);

    private Task<CrmLink?> FirstAsync(string where, params (string, object?)[] parameters) =>
        db.ReadAsync(async c => (await c.Command($"SELECT link_json, etag FROM crm_links WHERE {where} LIMIT 1", null, parameters).QueryAsync(Read)).FirstOrDefault());

    private static CrmLink Read(Microsoft.Data.Sqlite.SqliteDataReader r) => JsonSerializer.Deserialize<CrmLink>(r.GetString(0), Json)! with { ETag = r.GetString(1) };
}
