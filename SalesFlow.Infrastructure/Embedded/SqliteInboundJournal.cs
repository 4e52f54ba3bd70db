using System.Text.Json;
using System.Text.Json.Serialization;
using SalesFlow.Core.Channels;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>A journaled inbound message waiting to be stored.</summary>
/// <param name="Seq">Its place in the journal: entries are stored in this order.</param>
public sealed record JournalEntry(long Seq, string ClientId, string CorrelationId, InboundMessage Message, DateTimeOffset ReceivedAt, int Attempts);

/// <summary>
/// The embedded store's inbound journal: a webhook's messages are appended here (one statement each, inside the
/// webhook's group-committed unit) before the provider gets its 200, and <c>InboundJournalRunner</c> stores them right
/// after, removing each entry in the same transaction that stores its message. So the one SQLite writer spends a
/// statement per message on the provider's clock instead of a whole intake (lead, conversation, message, turn), and a
/// burst is taken at the speed of the HTTP pipeline. A crash leaves entries that the runner finds at the next start.
/// An entry's id is the message's deterministic id (<see cref="Core.Intake.IntakeService.MessageIdOf"/>): a repeated
/// delivery is a duplicate whether its first copy is still journaled or already stored.
/// </summary>
public sealed class SqliteInboundJournal(SqliteDatabase db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Raised after entries are committed, so the runner need not poll fast.</summary>
    public event Action? Appended;

    /// <summary>A message as the journal keeps it (made before the write unit, so not while holding the writer).</summary>
    public static string Payload(InboundMessage message) => JsonSerializer.Serialize(message, Json);

    /// <summary>
    /// Appends the message (its <see cref="Payload"/>) unless it is known (journaled or stored); false for a duplicate.
    /// Inside a grouped unit it joins the unit's transaction. <paramref name="address"/> is the sender's normalised address
    /// (what lead erasure matches).
    /// </summary>
    public async Task<bool> AppendAsync(string clientId, string messageId, string address, string correlationId, string payload, CancellationToken ct)
    {
        var now = clock.GetUtcNow().Ms();
        var appended = await db.WriteStatementAsync(c => c.Command(
            """
            INSERT INTO inbound_journal (message_id, client_id, address, correlation_id, payload, received_at, due_at)
            SELECT $id, $c, $a, $corr, $p, $now, $now WHERE NOT EXISTS (SELECT 1 FROM messages WHERE id = $id)
            ON CONFLICT (message_id) DO NOTHING
            """,
            null,
            ("$id", messageId),
            ("$c", clientId),
            ("$a", address),
            ("$corr", correlationId),
            ("$p", payload),
            ("$now", now)).ExecAsync(), ct);
        db.AfterCommit("inbound-journal", () => Appended?.Invoke());
        return appended == 1;
    }

    /// <summary>Up to <paramref name="max"/> entries due now, oldest first (a read: the writer is not held).</summary>
    public Task<IReadOnlyList<JournalEntry>> DueAsync(int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<JournalEntry>>(async c => await c.Command(
            "SELECT seq, client_id, correlation_id, payload, received_at, attempts FROM inbound_journal WHERE due_at <= $now ORDER BY seq LIMIT $max",
            null,
            ("$now", clock.GetUtcNow().Ms()),
            ("$max", max)).QueryAsync(r => new JournalEntry(
                r.GetInt64(0),
                r.GetString(1),
                r.GetString(2),
                JsonSerializer.Deserialize<InboundMessage>(r.GetString(3), Json)!,
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
                (int)r.GetInt64(5))));

    /// <summary>When the next entry waiting out a retry falls due; null when none waits.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) =>
        db.ReadAsync(c => c.Command("SELECT MIN(due_at) FROM inbound_journal", null).TimeOrNullAsync());

    /// <summary>
    /// Runs <paramref name="store"/> (the entry's intake) and removes the entry in one write unit, so both commit or
    /// neither. A background unit (<see cref="SqliteDatabase.GroupInBackgroundAsync{T}"/>): webhooks waiting for their
    /// 200 go first.
    /// </summary>
    public Task<T> StoreAsync<T>(JournalEntry entry, Func<Task<T>> store, CancellationToken ct) =>
        db.GroupInBackgroundAsync(async () =>
        {
            var result = await store();
            await db.WriteStatementAsync(c => c.Command("DELETE FROM inbound_journal WHERE seq = $s", null, ("$s", entry.Seq)).ExecAsync(), ct);
            return result;
        }, ct);

    /// <summary>An entry whose intake failed waits <paramref name="retryAfter"/>; the error is kept for an operator.</summary>
    public Task RetryLaterAsync(long seq, string error, TimeSpan retryAfter, CancellationToken ct) =>
        db.WriteStatementAsync(c => c.Command(
            "UPDATE inbound_journal SET attempts = attempts + 1, last_error = $e, due_at = $due WHERE seq = $s",
            null,
            ("$e", error),
            ("$due", (clock.GetUtcNow() + retryAfter).Ms()),
            ("$s", seq)).ExecAsync(), ct);

    /// <summary>When the oldest entry still waiting was acknowledged; null when the journal is empty.</summary>
    public Task<DateTimeOffset?> OldestReceivedAtAsync(CancellationToken ct) =>
        db.ReadAsync(c => c.Command("SELECT MIN(received_at) FROM inbound_journal", null).TimeOrNullAsync());

    public Task<int> CountAsync(CancellationToken ct) =>
        db.ReadAsync(async c => Convert.ToInt32(await c.Command("SELECT COUNT(*) FROM inbound_journal", null).ScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
}
