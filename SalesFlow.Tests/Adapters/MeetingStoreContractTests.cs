using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Privacy;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The meeting store's contract (idempotent add, guarded replace, tenant isolation, busy times, erasure), run against both adapters.</summary>
public abstract class MeetingStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private IMeetingStore _meetings = null!;
    private ILeadStore _leads = null!;
    private ILeadEraser _eraser = null!;

    protected abstract Task<(IMeetingStore Meetings, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (_meetings, _leads, _eraser) = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    internal static Meeting NewMeeting(string clientId, string leadId, DateTimeOffset start, string? key = null, string status = MeetingStatus.Booked, string? externalId = null) => new()
    {
        Id = Ids.New("mtg"),
        ClientId = clientId,
        LeadId = leadId,
        Provider = MeetingProviders.CalCom,
        ExternalId = externalId,
        Start = start,
        End = start.AddMinutes(30),
        TimeZone = "Europe/Berlin",
        Language = "de",
        Status = status,
        AttendeeName = "Anna Schmidt",
        AttendeeEmail = "anna@example.com",
        AttendeePhone = "+491701234567",
        Location = "https://app.cal.com/video/abc",
        IdempotencyKey = key ?? "book/" + leadId + "/" + Guid.NewGuid().ToString("N"),
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    [Fact]
    public async Task An_added_meeting_reads_back_by_id_by_external_id_and_for_its_lead()
    {
        var (added, created) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(1), externalId: "bk_1"), default);

        Assert.True(created);
        Assert.NotEqual("", added.ETag);
        var read = await _meetings.GetAsync("acme", added.Id, default);
        Assert.Equal(added, read);
        Assert.Equal(added, await _meetings.FindByExternalIdAsync("acme", "bk_1", default));
        Assert.Equal([added.Id], (await _meetings.ListForLeadAsync("acme", "lead_a", default)).Select(m => m.Id));
    }

    [Fact]
    public async Task A_second_add_with_the_same_idempotency_key_returns_the_first_meeting()
    {
        var (first, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(1), key: "book/lead_a/7"), default);
        var (second, created) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(2), key: "book/lead_a/7"), default);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Start, second.Start);
        Assert.Single(await _meetings.ListForLeadAsync("acme", "lead_a", default));
    }

    [Fact]
    public async Task The_same_idempotency_key_of_another_client_is_another_meeting()
    {
        await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(1), key: "book/x/1"), default);
        var (_, created) = await _meetings.AddAsync(NewMeeting("globex", "lead_a", Now.AddDays(1), key: "book/x/1"), default);
        Assert.True(created);
    }

    [Fact]
    public async Task A_replace_at_a_stale_etag_is_a_concurrency_conflict_and_changes_nothing()
    {
        var (meeting, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(1)), default);
        var cancelled = await _meetings.ReplaceAsync(meeting with { Status = MeetingStatus.Cancelled, CancelReason = "lead asked" }, default);
        Assert.NotEqual(meeting.ETag, cancelled.ETag);

        await Assert.ThrowsAsync<ConcurrencyException>(() => _meetings.ReplaceAsync(meeting with { Status = MeetingStatus.Failed }, default));

        var stored = await _meetings.GetAsync("acme", meeting.Id, default);
        Assert.Equal((MeetingStatus.Cancelled, "lead asked", cancelled.ETag), (stored!.Status, stored.CancelReason, stored.ETag));
    }

    [Fact]
    public async Task Another_clients_meeting_is_never_returned()
    {
        var (acme, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(1), externalId: "bk_shared"), default);
        await _meetings.SaveOfferAsync(new SlotOffer("acme", "lead_a", [new MeetingSlot(Now, Now.AddMinutes(30))], "UTC", "en", Now, 3), default);

        Assert.Null(await _meetings.GetAsync("globex", acme.Id, default));
        Assert.Null(await _meetings.FindByExternalIdAsync("globex", "bk_shared", default));
        Assert.Empty(await _meetings.ListForLeadAsync("globex", "lead_a", default));
        Assert.Empty(await _meetings.ListActiveBetweenAsync("globex", Now, Now.AddDays(7), default));
        Assert.Equal(0, await _meetings.CountBookedAsync("globex", Now.AddDays(-1), Now.AddDays(1), default));
        Assert.Null(await _meetings.GetOfferAsync("globex", "lead_a", default));
    }

    [Fact]
    public async Task A_leads_meetings_list_newest_start_first()
    {
        var (early, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(1)), default);
        var (late, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(3)), default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_b", Now.AddDays(2)), default);

        Assert.Equal([late.Id, early.Id], (await _meetings.ListForLeadAsync("acme", "lead_a", default)).Select(m => m.Id));
    }

    [Fact]
    public async Task Busy_times_are_the_active_meetings_overlapping_the_window()
    {
        var (inside, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddHours(1)), default);
        var (requested, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_b", Now.AddHours(2), status: MeetingStatus.Requested), default);
        var (straddling, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_c", Now.AddMinutes(-15)), default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_d", Now.AddHours(3), status: MeetingStatus.Cancelled), default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_e", Now.AddHours(4), status: MeetingStatus.Failed), default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_f", Now.AddHours(8)), default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_g", Now.AddMinutes(-30)), default); // ends exactly at the window's start

        var busy = await _meetings.ListActiveBetweenAsync("acme", Now, Now.AddHours(8), default);

        Assert.Equal([straddling.Id, inside.Id, requested.Id], busy.Select(m => m.Id));
    }

    [Fact]
    public async Task Booked_meetings_are_counted_by_when_they_were_created()
    {
        await _meetings.AddAsync(NewMeeting("acme", "lead_a", Now.AddDays(3)), default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_b", Now.AddDays(3)) with { CreatedAt = Now.AddDays(-2) }, default);
        await _meetings.AddAsync(NewMeeting("acme", "lead_c", Now.AddDays(3), status: MeetingStatus.Failed), default);

        Assert.Equal(1, await _meetings.CountBookedAsync("acme", Now.AddHours(-1), Now.AddHours(1), default));
    }

    [Fact]
    public async Task The_offer_is_one_per_lead_replaced_by_the_next_and_deleted()
    {
        var first = new SlotOffer("acme", "lead_a", [new MeetingSlot(Now, Now.AddMinutes(30))], "Europe/Berlin", "de", Now, 4);
        var second = new SlotOffer("acme", "lead_a", [new MeetingSlot(Now.AddDays(1), Now.AddDays(1).AddMinutes(30)), new MeetingSlot(Now.AddDays(2), Now.AddDays(2).AddMinutes(30))], "Europe/Berlin", "de", Now.AddMinutes(5), 6);
        await _meetings.SaveOfferAsync(first, default);
        await _meetings.SaveOfferAsync(second, default);

        var read = await _meetings.GetOfferAsync("acme", "lead_a", default);
        Assert.Equal((second.ThroughSeq, second.OfferedAt, second.TimeZone), (read!.ThroughSeq, read.OfferedAt, read.TimeZone));
        Assert.Equal(second.Slots, read.Slots);

        await _meetings.DeleteOfferAsync("acme", "lead_a", default);
        Assert.Null(await _meetings.GetOfferAsync("acme", "lead_a", default));
    }

    [Fact]
    public async Task Erasing_the_lead_erases_its_meetings_and_its_offer_and_no_one_elses()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701112299", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = Now, UpdatedAt = Now }, default);
        var (meeting, _) = await _meetings.AddAsync(NewMeeting("acme", lead.Id, Now.AddDays(1), externalId: "bk_erase"), default);
        await _meetings.SaveOfferAsync(new SlotOffer("acme", lead.Id, [new MeetingSlot(Now, Now.AddMinutes(30))], "UTC", "en", Now, 1), default);
        var (other, _) = await _meetings.AddAsync(NewMeeting("acme", "lead_other", Now.AddDays(1)), default);

        var report = await _eraser.EraseAsync("acme", lead.Id, default);

        Assert.Equal(1, report!.Removed["meetings"]);
        Assert.Null(await _meetings.GetAsync("acme", meeting.Id, default));
        Assert.Null(await _meetings.FindByExternalIdAsync("acme", "bk_erase", default));
        Assert.Null(await _meetings.GetOfferAsync("acme", lead.Id, default));
        Assert.NotNull(await _meetings.GetAsync("acme", other.Id, default));
    }
}

public sealed class MeetingStoreContractTestsAgainstSqlite : MeetingStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(IMeetingStore Meetings, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync() =>
        Task.FromResult<(IMeetingStore, ILeadStore, ILeadEraser)>((new SqliteMeetingStore(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class MeetingStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : MeetingStoreContractTests
{
    private Infrastructure.Azure.Cosmos.CosmosStores? _stores;

    protected override async Task<(IMeetingStore Meetings, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (_stores.Meetings, _stores.Leads, _stores.Eraser);
    }

    protected override async Task DisposeStoresAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }
}
