using System.Text.Json;
using SalesFlow.Core.Common;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>Lead profiles as one JSON document per lead; the etag column guards every replace.</summary>
public sealed class SqliteLeadProfileStore(SqliteDatabase db) : ILeadProfileStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<LeadProfile?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
                "SELECT profile_json, etag FROM lead_profiles WHERE client_id = $c AND lead_id = $l",
                null,
                ("$c", clientId),
                ("$l", leadId)).QueryAsync(r => JsonSerializer.Deserialize<LeadProfile>(r.GetString(0), Json)! with { ETag = r.GetString(1) }))
            .FirstOrDefault());

    public Task<LeadProfile> SaveAsync(LeadProfile profile, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var next = profile with { ETag = Ids.New("e") };
            var json = JsonSerializer.Serialize(next with { ETag = "" }, Json);
            var changed = profile.ETag.Length == 0
                ? await c.Command(
                    "INSERT OR IGNORE INTO lead_profiles (client_id, lead_id, profile_json, updated_at, etag) VALUES ($c, $l, $j, $u, $e)",
                    t,
                    ("$c", profile.ClientId),
                    ("$l", profile.LeadId),
                    ("$j", json),
                    ("$u", profile.UpdatedAt.Ms()),
                    ("$e", next.ETag)).ExecAsync()
                : await c.Command(
                    "UPDATE lead_profiles SET profile_json = $j, updated_at = $u, etag = $e WHERE client_id = $c AND lead_id = $l AND etag = $old",
                    t,
                    ("$c", profile.ClientId),
                    ("$l", profile.LeadId),
                    ("$j", json),
                    ("$u", profile.UpdatedAt.Ms()),
                    ("$e", next.ETag),
                    ("$old", profile.ETag)).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"Profile of lead {profile.LeadId} changed meanwhile.");
        }, ct);
}
