using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>
/// The hot statements whose cost must not grow with a client's history stay on their indexes. SQLite chooses the plan
/// from the statement's shape, so an empty database shows the plan a large one gets.
/// </summary>
public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public SqliteQueryPlanTests() => _ = new SqliteKnowledgeIndex(_db.Db); // creates the knowledge tables

    public void Dispose() => _db.Dispose();

    private async Task<string> PlanAsync((string Sql, (string Name, object? Value)[] Parameters) query) =>
        string.Join(" | ", await _db.Db.ReadAsync(c => c.Command("EXPLAIN QUERY PLAN " + query.Sql, null, query.Parameters).QueryAsync(r => r.GetString(3))));

    [Fact]
    public async Task EachTurnsPendingOutboxLookupSeeksTheLeadInsteadOfWalkingTheClientsOutbox()
    {
        var plan = await PlanAsync(SqliteOutboxStore.ListQuery("acme", "lead_1", "pending", 50));

        // The index that serves the client's whole outbox in creation order (for the paged listing) tempts SQLite here too,
        // to skip sorting, and it then walks the client's outbox: the statement names the lead's index.
        Assert.StartsWith("SEARCH outbox USING INDEX ix_outbox_lead (client_id=? AND lead_id=?)", plan);
    }

    [Fact]
    public async Task EveryOutboxPageSeeksTheClientsTimeIndexFromWhereThePreviousPageEnded()
    {
        var first = await PlanAsync(SqliteOutboxStore.PageQuery("acme", null, null, null, 200));
        var next = await PlanAsync(SqliteOutboxStore.PageQuery("acme", null, null, new(1_700_000_000_000, "out_1"), 200));

        // Walked backwards on the index, already in page order: no sort, and a later page reads no row of an earlier one.
        Assert.Equal("SEARCH outbox USING INDEX ix_outbox_time (client_id=?)", first);
        Assert.Equal("SEARCH outbox USING INDEX ix_outbox_time (client_id=? AND (created_at,id)<(?,?))", next);
    }

    [Fact]
    public async Task ALeadsOutboxPagesSeekTheLeadsIndex()
    {
        var plan = await PlanAsync(SqliteOutboxStore.PageQuery("acme", "lead_1", null, new(1_700_000_000_000, "out_1"), 200));

        Assert.StartsWith("SEARCH outbox USING INDEX ix_outbox_lead (client_id=? AND lead_id=? AND created_at<?)", plan);
    }

    [Fact]
    public async Task EveryPageOfAConversationSeeksItsMessagesBySeq()
    {
        var plan = await PlanAsync(SqliteConversationStore.MessagesPageQuery("acme", "conv_1", new(500, "msg_1"), 500));

        Assert.Equal("SEARCH messages USING INDEX ix_messages_conversation (client_id=? AND conversation_id=? AND seq<?)", plan);
    }

    [Fact]
    public async Task EveryComplianceAuditPageSeeksTheClientsTimeIndex()
    {
        var plan = await PlanAsync(SqliteComplianceAuditLog.PageQuery("acme", null, null, new(1_700_000_000_000, "aud_1"), 100));

        Assert.StartsWith("SEARCH compliance_audit USING INDEX ix_compliance_audit_time (client_id=? AND created_at<?)", plan);
    }

    [Fact]
    public async Task EveryPageOfABasesSourcesSeeksItsCreationIndexWithoutReadingContent()
    {
        _ = new SqliteKnowledgeStore(_db.Db);
        var plan = await PlanAsync(SqliteKnowledgeStore.SourcesPageQuery("acme", "kb_1", new(1_700_000_000_000, "doc-1"), 1000));

        Assert.StartsWith("SEARCH knowledge_sources USING INDEX ix_knowledge_sources_created (client_id=? AND base_id=? AND (created_at,id)<(?,?))", plan);
    }

    [Fact]
    public async Task TheMonthlyBudgetCheckReadsOnlyThisMonthsUsage()
    {
        var plan = await PlanAsync(SqliteUsageStore.SummaryQuery("acme", null, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.StartsWith("SEARCH ai_usage USING INDEX ix_ai_usage_client_time (client_id=? AND created_at>?)", plan);
    }

    [Fact]
    public async Task ALeadsUsageSummarySeeksTheLead()
    {
        var plan = await PlanAsync(SqliteUsageStore.SummaryQuery("acme", "lead_1", null));

        Assert.StartsWith("SEARCH ai_usage USING INDEX ix_ai_usage_lead (client_id=? AND lead_id=?)", plan);
    }

    [Fact]
    public async Task TheKnowledgeQuotaCheckCountsFromIndexesWithoutReadingAnySourcesContent()
    {
        _ = new SqliteKnowledgeStore(_db.Db);
        var plan = await PlanAsync((SqliteKnowledgeStore.UsageSql, [("$c", "acme")]));

        // Every import runs this; a source row holds the whole document, so reading rows would read documents.
        Assert.Contains("SEARCH knowledge_bases USING COVERING INDEX sqlite_autoindex_knowledge_bases_1 (client_id=?)", plan, StringComparison.Ordinal);
        Assert.Contains("SEARCH knowledge_sources USING COVERING INDEX ix_knowledge_sources_usage (client_id=? AND kind=?)", plan, StringComparison.Ordinal);
        Assert.Contains("SEARCH knowledge_sources USING COVERING INDEX ix_knowledge_sources_usage (client_id=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN knowledge", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeHitsAreFetchedByPrimaryKeyNotByWalkingTheClientsChunks()
    {
        // SQLite once chose the (client, base, source) index here and read every chunk of the client per search.
        var plan = await PlanAsync((SqliteKnowledgeIndex.HitsSql([1, 2, 3]), [("$c", "acme")]));

        Assert.Equal("SEARCH knowledge_chunks USING INTEGER PRIMARY KEY (rowid=?)", plan);
    }
}
