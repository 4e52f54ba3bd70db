using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>Playbooks and runs as JSON rows; a run's etag column guards every replace.</summary>
public sealed class SqlitePlaybookStore(SqliteDatabase db) : IPlaybookStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task AddAsync(Playbook playbook, CancellationToken ct) =>
        db.WriteStatementAsync(c => c.Command(
            "INSERT OR IGNORE INTO playbooks (client_id, id, created_at, playbook_json) VALUES ($c, $id, $at, $j)",
            null,
            ("$c", playbook.ClientId),
            ("$id", playbook.Id),
            ("$at", playbook.CreatedAt.Ms()),
            ("$j", JsonSerializer.Serialize(playbook, Json))).ExecAsync(), ct);

    public Task<Playbook?> GetAsync(string clientId, string playbookId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command("SELECT playbook_json FROM playbooks WHERE client_id = $c AND id = $id", null, ("$c", clientId), ("$id", playbookId))
            .QueryAsync(r => JsonSerializer.Deserialize<Playbook>(r.GetString(0), Json)!)).FirstOrDefault());

    public Task<IReadOnlyList<Playbook>> ListAsync(string clientId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<Playbook>>(async c => await c.Command("SELECT playbook_json FROM playbooks WHERE client_id = $c ORDER BY created_at, id", null, ("$c", clientId))
            .QueryAsync(r => JsonSerializer.Deserialize<Playbook>(r.GetString(0), Json)!));

    public Task<PlaybookRun?> GetRunAsync(string clientId, string leadId, string playbookId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            "SELECT run_json, etag FROM playbook_runs WHERE client_id = $c AND lead_id = $l AND playbook_id = $p",
            null,
            ("$c", clientId),
            ("$l", leadId),
            ("$p", playbookId)).QueryAsync(ReadRun)).FirstOrDefault());

    public Task<IReadOnlyList<PlaybookRun>> ListRunsAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<PlaybookRun>>(async c => await c.Command(
            "SELECT run_json, etag FROM playbook_runs WHERE client_id = $c AND lead_id = $l ORDER BY playbook_id",
            null,
            ("$c", clientId),
            ("$l", leadId)).QueryAsync(ReadRun));

    public Task<PlaybookRun> SaveRunAsync(PlaybookRun run, CancellationToken ct) =>
        db.WriteStatementAsync(async c =>
        {
            var next = run with { ETag = Ids.New("e") };
            var parameters = new (string, object?)[]
            {
                ("$c", run.ClientId), ("$l", run.LeadId), ("$p", run.PlaybookId), ("$j", JsonSerializer.Serialize(next with { ETag = "" }, Json)), ("$e", next.ETag), ("$old", run.ETag),
            };
            var changed = run.ETag.Length == 0
                ? await c.Command("INSERT OR IGNORE INTO playbook_runs (client_id, lead_id, playbook_id, run_json, etag) VALUES ($c, $l, $p, $j, $e)", null, parameters).ExecAsync()
                : await c.Command("UPDATE playbook_runs SET run_json = $j, etag = $e WHERE client_id = $c AND lead_id = $l AND playbook_id = $p AND etag = $old", null, parameters).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"Playbook run of lead {run.LeadId} changed meanwhile.");
        }, ct);

    private static PlaybookRun ReadRun(SqliteDataReader r) => JsonSerializer.Deserialize<PlaybookRun>(r.GetString(0), Json)! with { ETag = r.GetString(1) };
}
