using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;

namespace SalesFlow.Infrastructure.Embedded;

public sealed class SqliteLeadStore(SqliteDatabase db) : ILeadStore
{
    private const string Columns = "client_id, id, name, email, phone, language, escalated, escalation_reason, opted_out, created_at, updated_at, etag, time_zone";

    public Task<Lead?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(c => GetAsync(c, null, clientId, leadId));

    public Task<(Lead Lead, bool Created)> GetOrCreateByIdentityAsync(string clientId, IdentityKind kind, string value, Func<Lead> newLead, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var (owner, existing) = await OwnerWithLeadAsync(c, t, clientId, kind, value);
            if (existing is not null)
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

    public Task<string?> FindIdentityOwnerAsync(string clientId, IdentityKind kind, string value, CancellationToken ct) =>
        db.ReadAsync(c => OwnerAsync(c, null, clientId, kind, value));

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
                UPDATE leads SET name = $name, email = $email, phone = $phone, language = $lang, time_zone = $tz, escalated = $esc,
                    escalation_reason = $reason, opted_out = $opt, updated_at = $upd, etag = $new
                WHERE client_id = $c AND id = $id AND etag = $old
                """,
                t,
                ("$name", next.Name),
                ("$email", next.Email),
                ("$phone", next.Phone),
                ("$lang", next.Language),
                ("$tz", next.TimeZone),
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

    private const string ClaimColumns = "client_id, lead_id, address, id, code, token, status, attempts, conflict_lead_id, created_at, expires_at, verified_at, etag";

    public Task<EmailClaim?> GetEmailClaimAsync(string clientId, string leadId, string address, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            $"SELECT {ClaimColumns} FROM email_claims WHERE client_id = $c AND lead_id = $l AND address = $a",
            null,
            ("$c", clientId),
            ("$l", leadId),
            ("$a", address)).QueryAsync(MapClaim)).FirstOrDefault());

    public Task<IReadOnlyList<EmailClaim>> ListEmailClaimsAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<EmailClaim>>(async c => await c.Command(
            $"SELECT {ClaimColumns} FROM email_claims WHERE client_id = $c AND lead_id = $l ORDER BY created_at, address",
            null,
            ("$c", clientId),
            ("$l", leadId)).QueryAsync(MapClaim));

    public Task<EmailClaim?> FindEmailClaimByTokenAsync(string clientId, string token, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            $"SELECT {ClaimColumns} FROM email_claims WHERE client_id = $c AND token = $t",
            null,
            ("$c", clientId),
            ("$t", token)).QueryAsync(MapClaim)).FirstOrDefault());

    public Task<EmailClaim> SaveEmailClaimAsync(EmailClaim claim, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var next = claim with { ETag = Ids.New("e") };
            (string, object?)[] values =
            [
                ("$c", claim.ClientId), ("$l", claim.LeadId), ("$a", claim.Address), ("$id", next.Id), ("$code", next.Code), ("$token", next.Token),
                ("$status", next.Status), ("$attempts", next.Attempts), ("$conflict", next.ConflictLeadId), ("$cre", next.CreatedAt.Ms()),
                ("$exp", next.ExpiresAt.Ms()), ("$ver", next.VerifiedAt?.Ms()), ("$new", next.ETag), ("$old", claim.ETag),
            ];
            var sql = claim.ETag.Length == 0
                ? $"INSERT OR IGNORE INTO email_claims ({ClaimColumns}) VALUES ($c, $l, $a, $id, $code, $token, $status, $attempts, $conflict, $cre, $exp, $ver, $new)"
                : """
                  UPDATE email_claims SET id = $id, code = $code, token = $token, status = $status, attempts = $attempts, conflict_lead_id = $conflict,
                      created_at = $cre, expires_at = $exp, verified_at = $ver, etag = $new
                  WHERE client_id = $c AND lead_id = $l AND address = $a AND etag = $old
                  """;
            var changed = await c.Command(sql, t, values).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"E-mail claim of lead {claim.LeadId} changed meanwhile.");
        }, ct);

    public Task<LeadMerge> MergeAsync(string clientId, string intoLeadId, string otherLeadId, string mergedBy, DateTimeOffset at, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await c.Command(
                "INSERT OR IGNORE INTO lead_merges (client_id, lead_id, into_lead_id, merged_by, merged_at) VALUES ($c, $l, $into, $by, $at)",
                t,
                ("$c", clientId),
                ("$l", otherLeadId),
                ("$into", intoLeadId),
                ("$by", mergedBy),
                ("$at", at.Ms())).ExecAsync();
            // The first record stands (a race between two merges of the same lead): its survivor gets the identities.
            var merge = (await FindMergeAsync(c, t, clientId, otherLeadId))!;
            await c.Command("UPDATE identities SET lead_id = $into WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", otherLeadId), ("$into", merge.IntoLeadId)).ExecAsync();
            return merge;
        }, ct);

    public Task<LeadMerge?> FindMergeAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(c => FindMergeAsync(c, null, clientId, leadId));

    public Task<IReadOnlyList<LeadMerge>> ListMergedIntoAsync(string clientId, string intoLeadId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<LeadMerge>>(async c => await c.Command(
            "SELECT client_id, lead_id, into_lead_id, merged_by, merged_at FROM lead_merges WHERE client_id = $c AND into_lead_id = $l ORDER BY merged_at, lead_id",
            null,
            ("$c", clientId),
            ("$l", intoLeadId)).QueryAsync(MapMerge));

    private static async Task<LeadMerge?> FindMergeAsync(SqliteConnection c, SqliteTransaction? t, string clientId, string leadId) =>
        (await c.Command(
            "SELECT client_id, lead_id, into_lead_id, merged_by, merged_at FROM lead_merges WHERE client_id = $c AND lead_id = $l",
            t,
            ("$c", clientId),
            ("$l", leadId)).QueryAsync(MapMerge)).FirstOrDefault();

    private static LeadMerge MapMerge(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Time("merged_at"));

    private static EmailClaim MapClaim(SqliteDataReader r) => new()
    {
        ClientId = r.GetString(0),
        LeadId = r.GetString(1),
        Address = r.GetString(2),
        Id = r.GetString(3),
        Code = r.GetString(4),
        Token = r.GetString(5),
        Status = r.GetString(6),
        Attempts = r.GetInt32(7),
        ConflictLeadId = r.NullableString("conflict_lead_id"),
        CreatedAt = r.Time("created_at"),
        ExpiresAt = r.Time("expires_at"),
        VerifiedAt = r.NullableTime("verified_at"),
        ETag = r.GetString(12),
    };

    private static async Task<string?> OwnerAsync(SqliteConnection c, SqliteTransaction? t, string clientId, IdentityKind kind, string value) =>
        (string?)await c.Command(
            "SELECT lead_id FROM identities WHERE client_id = $c AND kind = $k AND value = $v",
            t,
            ("$c", clientId),
            ("$k", kind.ToString()),
            ("$v", value)).ScalarAsync();

    /// <summary>The identity's owner and its lead record in one statement (the intake's first step on every message).</summary>
    private static async Task<(string? Owner, Lead? Lead)> OwnerWithLeadAsync(SqliteConnection c, SqliteTransaction t, string clientId, IdentityKind kind, string value) =>
        (await c.Command(
            $"SELECT {JoinedColumns}, i.lead_id AS owner FROM identities i LEFT JOIN leads l ON l.client_id = i.client_id AND l.id = i.lead_id WHERE i.client_id = $c AND i.kind = $k AND i.value = $v",
            t,
            ("$c", clientId),
            ("$k", kind.ToString()),
            ("$v", value)).QueryAsync(r => (r.GetString(r.GetOrdinal("owner")), r.IsDBNull(1) ? null : Map(r)))).FirstOrDefault();

    private static readonly string JoinedColumns = string.Join(", ", Columns.Split(", ").Select(column => $"l.{column} AS {column}"));

    private static async Task<Lead?> GetAsync(SqliteConnection c, SqliteTransaction? t, string clientId, string leadId) =>
        (await c.Command($"SELECT {Columns} FROM leads WHERE client_id = $c AND id = $id", t, ("$c", clientId), ("$id", leadId)).QueryAsync(Map)).FirstOrDefault();

    private static Task<int> InsertAsync(SqliteConnection c, SqliteTransaction t, Lead lead) =>
        c.Command(
            $"INSERT INTO leads ({Columns}) VALUES ($c, $id, $name, $email, $phone, $lang, $esc, $reason, $opt, $cre, $upd, $etag, $tz)",
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
            ("$etag", lead.ETag),
            ("$tz", lead.TimeZone)).ExecAsync();

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
        TimeZone = r.NullableString("time_zone"),
    };
}
