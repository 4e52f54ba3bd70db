using System.Text.Json;
using SalesFlow.Core.Leads;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>Lead outcomes, one JSON document per lead; a set replaces it (the latest word wins).</summary>
public sealed class SqliteLeadOutcomeStore(SqliteDatabase db) : ILeadOutcomeStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<LeadOutcome?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
                "SELECT outcome_json FROM lead_outcomes WHERE client_id = $c AND lead_id = $l",
                null,
                ("$c", clientId),
                ("$l", leadId)).QueryAsync(r => JsonSerializer.Deserialize<LeadOutcome>(r.GetString(0), Json)))
            .FirstOrDefault());

    public Task SetAsync(LeadOutcome outcome, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            "INSERT INTO lead_outcomes (client_id, lead_id, outcome_json) VALUES ($c, $l, $j) ON CONFLICT (client_id, lead_id) DO UPDATE SET outcome_json = excluded.outcome_json",
            t,
            ("$c", outcome.ClientId),
            ("$l", outcome.LeadId),
            ("$j", JsonSerializer.Serialize(outcome, Json))).ExecAsync(), ct);

    /// <summary>Read and write in one write transaction: the single writer makes the comparison and the write one step.</summary>
    public Task<bool> SetIfNewerAsync(LeadOutcome outcome, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var stored = (await c.Command(
                    "SELECT outcome_json FROM lead_outcomes WHERE client_id = $c AND lead_id = $l",
                    t,
                    ("$c", outcome.ClientId),
                    ("$l", outcome.LeadId)).QueryAsync(r => JsonSerializer.Deserialize<LeadOutcome>(r.GetString(0), Json)))
                .FirstOrDefault();
            if (stored is not null && stored.At >= outcome.At)
            {
                return false;
            }

            await c.Command(
                "INSERT INTO lead_outcomes (client_id, lead_id, outcome_json) VALUES ($c, $l, $j) ON CONFLICT (client_id, lead_id) DO UPDATE SET outcome_json = excluded.outcome_json",
                t,
                ("$c", outcome.ClientId),
                ("$l", outcome.LeadId),
                ("$j", JsonSerializer.Serialize(outcome, Json))).ExecAsync();
            return true;
        }, ct);

    public Task<IReadOnlyList<LeadOutcome>> ListAsync(string clientId, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<LeadOutcome>>(async c => (await c.Command(
                "SELECT outcome_json FROM lead_outcomes WHERE client_id = $c LIMIT $n",
                null,
                ("$c", clientId),
                ("$n", limit)).QueryAsync(r => JsonSerializer.Deserialize<LeadOutcome>(r.GetString(0), Json)!))
            .OrderByDescending(o => o.At).ToList());
}
