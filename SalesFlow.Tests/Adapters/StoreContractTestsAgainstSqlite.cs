using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The store contract against the embedded SQLite adapter (a real file in a temp directory).</summary>
public sealed class StoreContractTestsAgainstSqlite : StoreContractTests
{
    private readonly TempDatabase _temp = new();
    private SqliteMemoryIndex? _memoryIndex;

    protected override Task<StoreSet> CreateStoresAsync()
    {
        _memoryIndex = new SqliteMemoryIndex(_temp.Db);
        return Task.FromResult(new StoreSet(
            new SqliteClientStore(_temp.Db, TimeProvider.System),
            new SqliteLeadStore(_temp.Db),
            new SqliteConversationStore(_temp.Db),
            new SqliteOutboxStore(_temp.Db),
            new SqliteLeadEraser(_temp.Db, _memoryIndex),
            new SqliteLeadProfileStore(_temp.Db),
            new SqliteComplianceAuditLog(_temp.Db),
            new SqliteUsageStore(_temp.Db),
            new SqliteMemoryStore(_temp.Db),
            _memoryIndex,
            FindEverythingMentioningAsync,
            new SqliteUnansweredInbound(_temp.Db),
            new SqliteDeliveryFeedbackStore(_temp.Db)));
    }

    [Fact]
    public async Task ErasureAlsoDropsTheLeadsRecallTextsFromTheProcessMemory()
    {
        var now = DateTimeOffset.UtcNow;
        var leads = new SqliteLeadStore(_temp.Db);
        var (lead, _) = await leads.GetOrCreateByIdentityAsync("acme", Core.Leads.IdentityKind.Phone, "+491709999999", () => NewLead("acme"), default);
        var vector = new Core.Knowledge.HashedEmbedder().Embed("barcode scanning in the warehouse");
        await _memoryIndex!.AddAsync("acme", lead.Id, [new Core.Memory.MemoryEntry(Core.Memory.MemoryKinds.Message, 1, "barcode scanning in the warehouse", true, now, vector)], default);
        Assert.NotEmpty(await _memoryIndex.SearchAsync("acme", lead.Id, vector, 3, 0, long.MaxValue, default));
        Assert.True(_memoryIndex.Holds("acme", lead.Id));

        Assert.NotNull(await new SqliteLeadEraser(_temp.Db, _memoryIndex).EraseAsync("acme", lead.Id, default));

        Assert.False(_memoryIndex.Holds("acme", lead.Id));
    }

    protected override async Task<string> ReadRawClientAsync(string clientId)
    {
        await using var connection = _temp.Db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM clients WHERE id = $id";
        command.Parameters.AddWithValue("$id", clientId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return string.Join('\n', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
    }

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every row of every table that names the lead.</summary>
    private async Task<IReadOnlyList<string>> FindEverythingMentioningAsync(string leadId)
    {
        var found = new List<string>();
        await using var connection = _temp.Db.Open();
        foreach (var (table, column) in new[] { ("leads", "id"), ("identities", "lead_id"), ("conversations", "lead_id"), ("messages", "lead_id"), ("outbox", "lead_id"), ("lead_profiles", "lead_id"), ("compliance_audit", "lead_id"), ("ai_usage", "lead_id"), ("memory_summaries", "lead_id"), ("memory_vectors", "lead_id"), ("email_claims", "lead_id"), ("lead_merges", "lead_id"), ("lead_merges", "into_lead_id"), ("meetings", "lead_id"), ("slot_offers", "lead_id"), ("analytics_leads", "lead_id") })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT rowid FROM {table} WHERE {column} = $l";
            command.Parameters.AddWithValue("$l", leadId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add($"{table}:{reader.GetInt64(0)}");
            }
        }

        return found;
    }
}
