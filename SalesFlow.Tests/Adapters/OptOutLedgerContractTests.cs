using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Reach;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The opt-out ledger's contract (per address, per client, across erasure), run against both adapters.</summary>
public abstract class OptOutLedgerContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private IOptOutLedger _ledger = null!;
    private ILeadStore _leads = null!;
    private ILeadEraser _eraser = null!;

    protected abstract Task<(IOptOutLedger Ledger, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (_ledger, _leads, _eraser) = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    [Fact]
    public async Task A_stop_holds_for_every_address_of_the_person_in_any_written_form_and_only_for_that_client()
    {
        await _ledger.RecordAsync("acme", ["+491701234567", "anna@example.com"], true, ChannelKind.Sms, "STOP", Now, "lead_1", "msg_1", default);

        Assert.True(await _ledger.IsOptedOutAsync("acme", "+491701234567", default));
        Assert.True(await _ledger.IsOptedOutAsync("acme", "whatsapp:+491701234567", default));
        Assert.True(await _ledger.IsOptedOutAsync("acme", "491701234567", default));
        Assert.True(await _ledger.IsOptedOutAsync("acme", "Anna@Example.com", default));
        Assert.False(await _ledger.IsOptedOutAsync("acme", "+491709999999", default));
        Assert.False(await _ledger.IsOptedOutAsync("globex", "+491701234567", default));
        Assert.False(await _ledger.IsOptedOutAsync("acme", "not an address", default));

        var entry = Assert.Single(await _ledger.FindAsync("acme", ["+491701234567", "whatsapp:+491701234567", "junk"], default));
        Assert.Equal(new OptOutEntry("acme", OptOutAddress.Hash("acme", "+491701234567")!, true, ChannelKind.Sms, "STOP", Now, "lead_1", "msg_1"), entry);
    }

    [Fact]
    public async Task A_later_opt_in_replaces_the_opt_out()
    {
        await _ledger.RecordAsync("acme", ["+491701234567"], true, ChannelKind.WhatsApp, "STOPP", Now, "lead_1", "msg_1", default);
        await _ledger.RecordAsync("acme", ["+491701234567"], false, ChannelKind.Sms, "START", Now.AddDays(1), "lead_1", "msg_2", default);

        Assert.False(await _ledger.IsOptedOutAsync("acme", "+491701234567", default));
        var entry = Assert.Single(await _ledger.FindAsync("acme", ["+491701234567"], default));
        Assert.Equal((false, ChannelKind.Sms, "START", Now.AddDays(1), "msg_2"), (entry.OptedOut, entry.Channel, entry.Keyword, entry.At, entry.MessageId));
    }

    [Fact]
    public async Task Erasing_the_lead_keeps_the_suppression_but_no_longer_names_the_lead()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701112233", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = Now, UpdatedAt = Now }, default);
        await _ledger.RecordAsync("acme", ["+491701112233"], true, ChannelKind.Sms, "STOP", Now, lead.Id, "msg_1", default);

        Assert.NotNull(await _eraser.EraseAsync("acme", lead.Id, default));

        Assert.True(await _ledger.IsOptedOutAsync("acme", "+491701112233", default));
        var entry = Assert.Single(await _ledger.FindAsync("acme", ["+491701112233"], default));
        Assert.Equal((null, null, "STOP"), (entry.LeadId, entry.MessageId, entry.Keyword));
    }
}

public sealed class OptOutLedgerContractTestsAgainstSqlite : OptOutLedgerContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(IOptOutLedger Ledger, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync() =>
        Task.FromResult<(IOptOutLedger, ILeadStore, ILeadEraser)>((new SqliteOptOutLedger(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class OptOutLedgerContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : OptOutLedgerContractTests
{
    private Infrastructure.Azure.Cosmos.CosmosStores? _stores;

    protected override async Task<(IOptOutLedger Ledger, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (_stores.OptOuts, _stores.Leads, _stores.Eraser);
    }

    protected override async Task DisposeStoresAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }
}
