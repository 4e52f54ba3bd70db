using SalesFlow.Core.Privacy;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Deletes the lead and everything that names it in one transaction (secure_delete overwrites the rows and freed pages),
/// which also records a pending scrub; then waits for <see cref="SqliteErasureScrubber"/> to clear the copies SQLite
/// leaves in the WAL and in pages' unused space, without holding the write lock for more than a slice at a time.
/// Answering only then, the erasure is complete when it returns; one interrupted by a crash is finished at the next start.
/// The memory index's in-process cache of the lead's recall texts is dropped too. The opt-out ledger's entries stay,
/// unlinked from the lead (see <see cref="Core.Reach.OptOutAddress"/>).
/// </summary>
public sealed class SqliteLeadEraser(SqliteDatabase db, SqliteMemoryIndex memoryIndex) : ILeadEraser
{
    public async Task<ErasureReport?> EraseAsync(string clientId, string leadId, CancellationToken ct)
    {
        var removed = await db.WriteAsync(async (c, t) =>
        {
            var exists = await c.Command("SELECT 1 FROM leads WHERE client_id = $c AND id = $l", t, ("$c", clientId), ("$l", leadId)).ScalarAsync();
            if (exists is null)
            {
                return null;
            }

            var counts = new Dictionary<string, int>();
            // Messages acknowledged to a provider but not yet stored name the lead only by its sender address.
            counts["inbound_journal"] = await c.Command(
                "DELETE FROM inbound_journal WHERE client_id = $c AND address IN (SELECT value FROM identities WHERE client_id = $c AND lead_id = $l)",
                t,
                ("$c", clientId),
                ("$l", leadId)).ExecAsync();
            await c.Command("DELETE FROM outbox_redispatch WHERE client_id = $c AND outbox_id IN (SELECT id FROM outbox WHERE client_id = $c AND lead_id = $l)", t, ("$c", clientId), ("$l", leadId)).ExecAsync();
            foreach (var table in new[] { "messages", "outbox", "conversations", "identities", "ai_usage", "lead_profiles", "compliance_audit", "memory_summaries", "memory_vectors", "email_claims", "lead_merges", "follow_up_timers", "meetings", "slot_offers", "analytics_leads" })
            {
                counts[table] = await c.Command($"DELETE FROM {table} WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync();
            }

            foreach (var table in new[] { "crm_links", "lead_outcomes", "recommendations", "recommendation_revisits", "playbook_runs", "lead_scores" })
            {
                counts[table] = await c.Command($"DELETE FROM {table} WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync();
            }

            // The opt-out ledger keeps its suppression (hashed addresses, when, channel, keyword) but no longer names the lead.
            counts["opt_outs_unlinked"] = await c.Command("UPDATE opt_outs SET lead_id = NULL, message_id = NULL WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync();

            // The records of leads merged into this one name it (and who merged them).
            counts["lead_merges"] += await c.Command("DELETE FROM lead_merges WHERE client_id = $c AND into_lead_id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync();

            // Queued work for the lead (payloads are JSON naming client and lead).
            counts["jobs"] = await c.Command(
                "DELETE FROM jobs WHERE json_extract(payload, '$.clientId') = $c AND (json_extract(payload, '$.leadId') = $l OR instr(payload, $l) > 0)",
                t,
                ("$c", clientId),
                ("$l", leadId)).ExecAsync();
            counts["leads"] = await c.Command("DELETE FROM leads WHERE client_id = $c AND id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync();
            await c.Command("INSERT INTO erasure_scrubs (requested_at) VALUES ($now)", t, ("$now", DateTimeOffset.UtcNow.Ms())).ExecAsync();
            return counts;
        }, ct);
        if (removed is null)
        {
            return null;
        }

        memoryIndex.Forget(clientId, leadId);
        await db.Scrubber.ScrubPendingAsync(ct);
        return new ErasureReport(leadId, removed);
    }
}
