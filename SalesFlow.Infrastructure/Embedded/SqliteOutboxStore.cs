using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Embedded;

public sealed class SqliteOutboxStore(SqliteDatabase db) : IOutboxStore
{
    private const string Columns = "client_id, id, lead_id, conversation_id, channel, recipient, text, idempotency_key, purpose, status, provider_message_id, error, created_at, updated_at, template_json, thread_json, attempts, claimed_at, next_attempt_at, html_body, vendor_call_started_at";

    public Task<(OutboxItem Item, bool Created)> AddAsync(OutboxItem item, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var existing = (await c.Command($"SELECT {Columns} FROM outbox WHERE client_id = $c AND idempotency_key = $k", t, ("$c", item.ClientId), ("$k", item.IdempotencyKey)).QueryAsync(Map)).FirstOrDefault();
            if (existing is not null)
            {
                return (existing, false);
            }

            await c.Command(
                $"INSERT INTO outbox ({Columns}) VALUES ($c, $id, $l, $conv, $ch, $to, $text, $k, $purpose, $status, $p, $err, $cre, $upd, $template, $thread, $attempts, $claimed, $next, $html, $vendorCall)",
                t,
                ("$c", item.ClientId),
                ("$id", item.Id),
                ("$l", item.LeadId),
                ("$conv", item.ConversationId),
                ("$ch", item.Channel.ToWire()),
                ("$to", item.Recipient),
                ("$text", item.Text),
                ("$k", item.IdempotencyKey),
                ("$purpose", item.Purpose),
                ("$status", item.Status),
                ("$p", item.ProviderMessageId),
                ("$err", item.Error),
                ("$cre", item.CreatedAt.Ms()),
                ("$upd", item.UpdatedAt.Ms()),
                ("$template", item.Template is null ? null : JsonSerializer.Serialize(item.Template)),
                ("$thread", item.Thread is null ? null : JsonSerializer.Serialize(item.Thread)),
                ("$attempts", item.Attempts),
                ("$claimed", item.ClaimedAt?.Ms()),
                ("$next", item.NextAttemptAt?.Ms()),
                ("$html", item.HtmlBody),
                ("$vendorCall", item.VendorCallStartedAt?.Ms())).ExecAsync();
            return (item, true);
        }, ct);

    public Task<OutboxItem?> GetAsync(string clientId, string id, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM outbox WHERE client_id = $c AND id = $id", null, ("$c", clientId), ("$id", id)).QueryAsync(Map)).FirstOrDefault());

    public Task<IReadOnlyList<OutboxItem>> ListAsync(string clientId, string? leadId, string? status, int limit, CancellationToken ct)
    {
        var (sql, parameters) = ListQuery(clientId, leadId, status, limit);
        return db.ReadAsync<IReadOnlyList<OutboxItem>>(async c => await c.Command(sql, null, parameters).QueryAsync(Map));
    }

    /// <summary>The statement behind <see cref="ListAsync"/>: with a lead it runs on the (client, lead, created) index (every turn asks for its lead's pending items).</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) ListQuery(string clientId, string? leadId, string? status, int limit)
    {
        var filter = LeadFilter(clientId, leadId).WhereGiven("status = $s", "$s", status);
        return ($"SELECT {Columns} FROM {Source(leadId)} WHERE {filter.Sql} ORDER BY created_at, id LIMIT $n", filter.With(("$n", limit)));
    }

    public async Task<Page<OutboxItem>> ListPageAsync(string clientId, string? leadId, string? status, PagePosition? after, int limit, CancellationToken ct)
    {
        var (sql, parameters) = PageQuery(clientId, leadId, status, after, limit);
        var items = await db.ReadAsync<IReadOnlyList<OutboxItem>>(async c => await c.Command(sql, null, parameters).QueryAsync(Map));
        return Page<OutboxItem>.From(items, limit, PositionOf);
    }

    /// <summary>
    /// The statement behind <see cref="ListPageAsync"/>: a keyset seek on the (client, created, id) index, reading one item
    /// more than the page to know whether another follows; with a lead it seeks the lead's index instead.
    /// </summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) PageQuery(string clientId, string? leadId, string? status, PagePosition? after, int limit)
    {
        var filter = LeadFilter(clientId, leadId).WhereGiven("status = $s", "$s", status);
        if (after is { } position)
        {
            filter.Where("(created_at, id) < ($at, $id)", ("$at", position.Key), ("$id", position.Id));
        }

        return ($"SELECT {Columns} FROM {Source(leadId)} WHERE {filter.Sql} ORDER BY created_at DESC, id DESC LIMIT $n", filter.With(("$n", limit + 1)));
    }

    /// <summary>A lead's listing holds the messages to the lead: staff alerts about it are listed client-wide only.</summary>
    private static SqlFilter LeadFilter(string clientId, string? leadId)
    {
        var filter = new SqlFilter("client_id = $c", ("$c", clientId));
        return leadId is null ? filter : filter.Where("lead_id = $l AND purpose NOT IN ($staff1, $staff2)", ("$l", leadId), ("$staff1", OutboxPurpose.ToStaff[0]), ("$staff2", OutboxPurpose.ToStaff[1]));
    }

    /// <summary>
    /// A lead's items are found on the lead's index. Left to itself SQLite prefers the (client, created, id) index, which
    /// spares it a sort, and walks the client's whole outbox to find one lead's few items.
    /// </summary>
    private static string Source(string? leadId) => leadId is null ? "outbox" : "outbox INDEXED BY ix_outbox_lead";

    private static PagePosition PositionOf(OutboxItem item) => new(item.CreatedAt.Ms(), item.Id);

    public Task<IReadOnlyList<OutboxItem>> ListStalePendingAsync(DateTimeOffset olderThan, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<OutboxItem>>(async c => await c.Command(
            $"""
            SELECT {Columns} FROM outbox o
            WHERE status = $s AND updated_at < $before
              AND NOT EXISTS (SELECT 1 FROM outbox_redispatch r WHERE r.client_id = o.client_id AND r.outbox_id = o.id)
            ORDER BY updated_at, client_id, id LIMIT $n
            """,
            null,
            ("$s", OutboxStatus.Pending),
            ("$before", olderThan.Ms()),
            ("$n", limit)).QueryAsync(Map));

    public Task MarkRedispatchedAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync((c, t) => c.Command(
            "INSERT OR IGNORE INTO outbox_redispatch (client_id, outbox_id, at) VALUES ($c, $id, $now)",
            t,
            ("$c", clientId),
            ("$id", id),
            ("$now", now.Ms())).ExecAsync(), ct);

    public Task<bool> MarkAsync(string clientId, string id, string status, string? providerMessageId, string? error, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            "UPDATE outbox SET status = $s, provider_message_id = COALESCE($p, provider_message_id), error = $e, updated_at = $now WHERE client_id = $c AND id = $id",
            t,
            ("$s", status),
            ("$p", providerMessageId),
            ("$e", error),
            ("$now", now.Ms()),
            ("$c", clientId),
            ("$id", id)).ExecAsync() == 1, ct);

    public Task<bool> ApplyProviderStatusAsync(string clientId, string providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var item = (await c.Command($"SELECT {Columns} FROM outbox WHERE client_id = $c AND provider_message_id = $p", t, ("$c", clientId), ("$p", providerMessageId)).QueryAsync(Map)).FirstOrDefault();
            if (item is null)
            {
                return false;
            }

            if (OutboxStatus.Rank(status) > OutboxStatus.Rank(item.Status))
            {
                await c.Command(
                    "UPDATE outbox SET status = $s, error = COALESCE($e, error), updated_at = $now WHERE client_id = $c AND id = $id",
                    t,
                    ("$s", status),
                    ("$e", error),
                    ("$now", now.Ms()),
                    ("$c", clientId),
                    ("$id", item.Id)).ExecAsync();
            }

            return true;
        }, ct);

    /// <summary>
    /// One statement, so no BEGIN/COMMIT around it: the rank comparison runs in SQL (<see cref="RankSql"/>), and SET
    /// expressions see the row as it was, so status and error move together or not at all. A report that moves nothing
    /// (a vendor's retry, a replay) leaves the row as it was, updated_at included.
    /// </summary>
    public Task<bool> ApplyStatusAsync(string clientId, string id, string? providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct) =>
        db.WriteStatementAsync(async c => await c.Command(
            $"""
            UPDATE outbox SET
                status = CASE WHEN $rank > {RankSql} THEN $s ELSE status END,
                error = CASE WHEN $rank > {RankSql} THEN $e ELSE error END,
                provider_message_id = COALESCE(provider_message_id, $p),
                updated_at = CASE WHEN $rank > {RankSql} OR (provider_message_id IS NULL AND $p IS NOT NULL) THEN $now ELSE updated_at END
            WHERE client_id = $c AND id = $id
            """,
            null,
            ("$rank", OutboxStatus.Rank(status)),
            ("$s", status),
            ("$e", error),
            ("$p", providerMessageId),
            ("$now", now.Ms()),
            ("$c", clientId),
            ("$id", id)).ExecAsync() == 1, ct);

    /// <summary><see cref="OutboxStatus.Rank"/> of the row's status, in SQL.</summary>
    private static readonly string RankSql =
        "(CASE status " + string.Concat(OutboxStatus.All.Select(s => $"WHEN '{s}' THEN {OutboxStatus.Rank(s)} ")) + "ELSE -1 END)";

    /// <summary>One statement (the status condition makes it the conditional write; RETURNING reads the claimed row back).</summary>
    public Task<OutboxItem?> TryClaimAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct) =>
        db.WriteStatementAsync(async c => (await c.Command(
            $"UPDATE outbox SET status = $sending, claimed_at = $now, vendor_call_started_at = NULL, attempts = attempts + 1, updated_at = $now WHERE client_id = $c AND id = $id AND status = $pending RETURNING {Columns}",
            null,
            ("$sending", OutboxStatus.Sending),
            ("$pending", OutboxStatus.Pending),
            ("$now", now.Ms()),
            ("$c", clientId),
            ("$id", id)).QueryAsync(Map)).FirstOrDefault(), ct);

    /// <summary>One statement, conditional on the claim (status and claim time).</summary>
    public Task<bool> MarkVendorCallStartedAsync(string clientId, string id, DateTimeOffset claimedAt, DateTimeOffset now, CancellationToken ct) =>
        db.WriteStatementAsync(async c => await c.Command(
            "UPDATE outbox SET vendor_call_started_at = $now, updated_at = $now WHERE client_id = $c AND id = $id AND status = $sending AND claimed_at = $claimed",
            null,
            ("$now", now.Ms()),
            ("$c", clientId),
            ("$id", id),
            ("$sending", OutboxStatus.Sending),
            ("$claimed", claimedAt.Ms())).ExecAsync() == 1, ct);

    /// <summary>One statement, conditional on the claim (status and claim time).</summary>
    public Task<bool> ReleaseClaimAsync(string clientId, string id, DateTimeOffset claimedAt, string status, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken ct) =>
        db.WriteStatementAsync(async c => await c.Command(
            "UPDATE outbox SET status = $s, error = $e, next_attempt_at = $next, updated_at = $now WHERE client_id = $c AND id = $id AND status = $sending AND claimed_at = $claimed",
            null,
            ("$s", status),
            ("$e", error),
            ("$next", nextAttemptAt?.Ms()),
            ("$now", now.Ms()),
            ("$c", clientId),
            ("$id", id),
            ("$sending", OutboxStatus.Sending),
            ("$claimed", claimedAt.Ms())).ExecAsync() == 1, ct);

    public Task<OutboxItem?> ResendAsync(string clientId, string id, string note, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var resent = await c.Command(
                "UPDATE outbox SET status = $pending, attempts = 0, claimed_at = NULL, vendor_call_started_at = NULL, next_attempt_at = NULL, error = $note, updated_at = $now WHERE client_id = $c AND id = $id AND status IN ($failed, $doubt)",
                t,
                ("$pending", OutboxStatus.Pending),
                ("$failed", OutboxStatus.Failed),
                ("$doubt", OutboxStatus.InDoubt),
                ("$note", note),
                ("$now", now.Ms()),
                ("$c", clientId),
                ("$id", id)).ExecAsync() == 1;
            return resent
                ? (await c.Command($"SELECT {Columns} FROM outbox WHERE client_id = $c AND id = $id", t, ("$c", clientId), ("$id", id)).QueryAsync(Map)).FirstOrDefault()
                : null;
        }, ct);

    private static OutboxItem Map(SqliteDataReader r)
    {
        ChannelKindNames.TryParse(r.GetString(4), out var channel);
        return new OutboxItem
        {
            ClientId = r.GetString(0),
            Id = r.GetString(1),
            LeadId = r.GetString(2),
            ConversationId = r.GetString(3),
            Channel = channel,
            Recipient = r.GetString(5),
            Text = r.GetString(6),
            IdempotencyKey = r.GetString(7),
            Purpose = r.GetString(8),
            Status = r.GetString(9),
            ProviderMessageId = r.NullableString("provider_message_id"),
            Error = r.NullableString("error"),
            CreatedAt = r.Time("created_at"),
            UpdatedAt = r.Time("updated_at"),
            Template = r.NullableString("template_json") is { } template ? JsonSerializer.Deserialize<TemplateMessage>(template) : null,
            Thread = r.NullableString("thread_json") is { } thread ? JsonSerializer.Deserialize<EmailThread>(thread) : null,
            Attempts = r.GetInt32(r.GetOrdinal("attempts")),
            ClaimedAt = r.NullableTime("claimed_at"),
            NextAttemptAt = r.NullableTime("next_attempt_at"),
            HtmlBody = r.NullableString("html_body"),
            VendorCallStartedAt = r.NullableTime("vendor_call_started_at"),
        };
    }
}
