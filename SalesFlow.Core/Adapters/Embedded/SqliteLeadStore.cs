using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Adapters.Embedded;

public sealed class SqliteLeadStore(SqliteDatabase db) : ILeadStore
{
    private const string Columns = "client_id, id, name, email, phone, language, escalated, escalation_reason, opted_out, created_at, updated_at, etag";

    public Task<Lead?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(c => GetAsync(c, null, clientId, leadId));

    public Task<(Lead Lead, bool Created)> GetOrCreateByIdentityAsync(string clientId, IdentityKind kind, string value, Func<Lead> newLead, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var owner = await OwnerAsync(c, t, clientId, kind, value);
            if (owner is not null && await GetAsync(c, t, clientId, owner) is { } existing)
            {
                return (existing, false);
            }

            var lead = newLead() with { ClientId = clientId, ETag = Ids.New("e") };
            if (owner is not null)
            {
                // The identity outlived its lead record (an interrupted write): recreate the lead under its id.
                lead = lead with { Id = owner };
            }

            await InsertAsync(c, t, lead);
            await c.Command(
                "INSERT OR IGNORE INTO identities (client_id, kind, value, lead_id, created_at) VALUES ($c, $k, $v, $l, $now)",
                t,
                ("$c", clientId),
                ("$k", kind.ToString()),
                ("$v", value),
                ("$l", lead.Id),
                ("$now", lead.CreatedAt.Ms())).ExecAsync();
            return (lead, true);
        }, ct);

    public Task<string> LinkIdentityAsync(string clientId, IdentityKind kind, string value, string leadId, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await c.Command(
                "INSERT OR IGNORE INTO identities (client_id, kind, value, lead_id, created_at) VALUES ($c, $k, $v, $l, $now)",
                t,
                ("$c", clientId),
                ("$k", kind.ToString()),
                ("$v", value),
                ("$l", leadId),
                ("$now", DateTimeOffset.UtcNow.Ms())).ExecAsync();
            return (await OwnerAsync(c, t, clientId, kind, value))!;
        }, ct);

    public Task<IReadOnlyList<ChannelIdentity>> ListIdentitiesAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ChannelIdentity>>(async c => await c.Command(
            "SELECT client_id, kind, value, lead_id, created_at FROM identities WHERE client_id = $c AND lead_id = $l ORDER BY created_at",
            null,
            ("$c", clientId),
            ("$l", leadId)).QueryAsync(r => new ChannelIdentity(r.GetString(0), Enum.Parse<IdentityKind>(r.GetString(1)), r.GetString(2), r.GetString(3), r.Time("created_at"))));

    public Task<Lead> ReplaceAsync(Lead lead, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var next = lead with { ETag = Ids.New("e") };
            var changed = await c.Command(
                """
                UPDATE leads SET name = $name, email = $email, phone = $phone, language = $lang, escalated = $esc,
                    escalation_reason = $reason, opted_out = $opt, updated_at = $upd, etag = $new
                WHERE client_id = $c AND id = $id AND etag = $old
                """,
                t,
                ("$name", next.Name),
                ("$email", next.Email),
                ("$phone", next.Phone),
                ("$lang", next.Language),
                ("$esc", next.Escalated ? 1 : 0),
                ("$reason", next.EscalationReason),
                ("$opt", next.OptedOut ? 1 : 0),
                ("$upd", next.UpdatedAt.Ms()),
                ("$new", next.ETag),
                ("$c", lead.ClientId),
                ("$id", lead.Id),
                ("$old", lead.ETag)).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"Lead {lead.Id} changed meanwhile.");
        }, ct);

    private static async Task<string?> OwnerAsync(SqliteConnection c, SqliteTransaction t, string clientId, IdentityKind kind, string value) =>
        (string?)await c.Command(
            "SELECT lead_id FROM identities WHERE client_id = $c AND kind = $k AND value = $v",
            t,
            ("$c", clientId),
            ("$k", kind.ToString()),
            ("$v", value)).ScalarAsync();

    private static async Task<Lead?> GetAsync(SqliteConnection c, SqliteTransaction? t, string clientId, string leadId) =>
        (await c.Command($"SELECT {Columns} FROM leads WHERE client_id = $c AND id = $id", t, ("$c", clientId), ("$id", leadId)).QueryAsync(Map)).FirstOrDefault();

    private static Task<int> InsertAsync(SqliteConnection c, SqliteTransaction t, Lead lead) =>
        c.Command(
            $"INSERT INTO leads ({Columns}) VALUES ($c, $id, $name, $email, $phone, $lang, $esc, $reason, $opt, $cre, $upd, $etag)",
            t,
            ("$c", lead.ClientId),
            ("$id", lead.Id),
            ("$name", lead.Name),
            ("$email", lead.Email),
            ("$phone", lead.Phone),
            ("$lang", lead.Language),
            ("$esc", lead.Escalated ? 1 : 0),
            ("$reason", lead.EscalationReason),
            ("$opt", lead.OptedOut ? 1 : 0),
            ("$cre", lead.CreatedAt.Ms()),
            ("$upd", lead.UpdatedAt.Ms()),
            ("$etag", lead.ETag)).ExecAsync();

    private static Lead Map(SqliteDataReader r) => new()
    {
        ClientId = r.GetString(0),
        Id = r.GetString(1),
        Name = r.NullableString("name"),
        Email = r.NullableString("email"),
        Phone = r.NullableString("phone"),
        Language = r.NullableString("language"),
        Escalated = r.GetInt64(6) == 1,
        EscalationReason = r.NullableString("escalation_reason"),
        OptedOut = r.GetInt64(8) == 1,
        CreatedAt = r.Time("created_at"),
        UpdatedAt = r.Time("updated_at"),
        ETag = r.GetString(11),
    };
}
