using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.FollowUps;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Follow-up timers in the embedded store; guarded writes compare the row's etag in the UPDATE/DELETE itself. Every
/// write is one statement, run without BEGIN/COMMIT (<see cref="SqliteDatabase.WriteStatementAsync{T}"/>).
/// </summary>
public sealed class SqliteFollowUpTimerStore(SqliteDatabase db) : IFollowUpTimerStore
{
    private const string Columns = "client_id, lead_id, cycle, steps_sent, last_step_at, due_at, etag";

    public Task<FollowUpTimer> SetAsync(FollowUpTimer timer, CancellationToken ct) =>
        db.WriteStatementAsync(async c =>
        {
            var next = timer with { ETag = Ids.New("e") };
            await c.Command(
                $"""
                INSERT INTO follow_up_timers ({Columns}) VALUES ($c, $l, $cycle, $steps, $last, $due, $etag)
                ON CONFLICT (client_id, lead_id) DO UPDATE SET cycle = $cycle, steps_sent = $steps, last_step_at = $last, due_at = $due, etag = $etag
                """,
                null,
                Parameters(next)).ExecAsync();
            return next;
        }, ct);

    public Task<FollowUpTimer?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM follow_up_timers WHERE client_id = $c AND lead_id = $l", null, ("$c", clientId), ("$l", leadId)).QueryAsync(Map)).FirstOrDefault());

    public Task<bool> CancelAsync(string clientId, string leadId, CancellationToken ct) =>
        db.WriteStatementAsync(async c => await c.Command("DELETE FROM follow_up_timers WHERE client_id = $c AND lead_id = $l", null, ("$c", clientId), ("$l", leadId)).ExecAsync() > 0, ct);

    public Task<IReadOnlyList<FollowUpTimer>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<FollowUpTimer>>(async c =>
            await c.Command($"SELECT {Columns} FROM follow_up_timers WHERE due_at <= $now ORDER BY due_at LIMIT $n", null, ("$now", now.Ms()), ("$n", limit)).QueryAsync(Map));

    public Task<IReadOnlyList<FollowUpTimer>> ListForClientAsync(string clientId, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<FollowUpTimer>>(async c =>
            await c.Command($"SELECT {Columns} FROM follow_up_timers WHERE client_id = $c ORDER BY due_at LIMIT $n", null, ("$c", clientId), ("$n", Math.Max(0, limit))).QueryAsync(Map));

    public Task<FollowUpTimer?> TryReplaceAsync(FollowUpTimer timer, CancellationToken ct) =>
        db.WriteStatementAsync(async c =>
        {
            var next = timer with { ETag = Ids.New("e") };
            var changed = await c.Command(
                """
                UPDATE follow_up_timers SET cycle = $cycle, steps_sent = $steps, last_step_at = $last, due_at = $due, etag = $etag
                WHERE client_id = $c AND lead_id = $l AND etag = $old
                """,
                null,
                [.. Parameters(next), ("$old", timer.ETag)]).ExecAsync();
            return changed == 1 ? next : null;
        }, ct);

    public Task<bool> TryRemoveAsync(FollowUpTimer timer, CancellationToken ct) =>
        db.WriteStatementAsync(async c => await c.Command(
            "DELETE FROM follow_up_timers WHERE client_id = $c AND lead_id = $l AND etag = $old", null, ("$c", timer.ClientId), ("$l", timer.LeadId), ("$old", timer.ETag)).ExecAsync() == 1, ct);

    private static (string, object?)[] Parameters(FollowUpTimer timer) =>
    [
        ("$c", timer.ClientId),
        ("$l", timer.LeadId),
        ("$cycle", timer.Cycle),
        ("$steps", timer.StepsSent),
        ("$last", timer.LastStepAt?.Ms()),
        ("$due", timer.DueAt.Ms()),
        ("$etag", timer.ETag),
    ];

    private static FollowUpTimer Map(SqliteDataReader r) => new()
    {
        ClientId = r.GetString(0),
        LeadId = r.GetString(1),
        Cycle = r.GetString(2),
        StepsSent = r.GetInt32(3),
        LastStepAt = r.NullableTime("last_step_at"),
        DueAt = r.Time("due_at"),
        ETag = r.GetString(6),
    };
}
