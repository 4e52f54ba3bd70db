using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Crm;

/// <summary>The sync-crm handler against an in-test HubSpot CRM v3: what ends up in HubSpot, once, whatever repeats or crashes.</summary>
public sealed class CrmSyncAgainstHubSpotServerTests : IAsyncLifetime
{
    private static readonly HubSpotConfig Config = new(CrmTestBed.Token, "sales", new Dictionary<string, string>
    {
        ["value_proposition"] = "stage-presented",
        ["closing_attempt"] = "stage-closing",
        ["won"] = "stage-won",
    });

    private CrmTestBed _bed = null!;

    private HubSpotApiServer Server => _bed.Server;

    public async Task InitializeAsync()
    {
        _bed = await CrmTestBed.StartAsync();
        await _bed.AddClientAsync(Config);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_qualified_lead_becomes_one_contact_with_the_ai_properties_one_deal_at_the_mapped_stage_and_a_note_on_both()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);

        await _bed.HandleAsync(lead);

        Assert.Equal(CrmContactProperties.Custom.Select(p => p.Name).Order(), Server.ContactProperties.Keys.Order());
        var contact = Assert.Single(Server.Contacts.Values);
        Assert.Equal(("anna.meyer@acme.example", "+4917012345678", "Anna", "Meyer", "Acme GmbH", "CTO"),
            (contact.Properties["email"], contact.Properties["phone"], contact.Properties["firstname"], contact.Properties["lastname"], contact.Properties["company"], contact.Properties["jobtitle"]));
        Assert.Equal(("70", "hot"), (contact.Properties["ai_lead_score"], contact.Properties["ai_temperature"]));
        Assert.Contains("Budget: 50k EUR (0.70)", contact.Properties["ai_bant_summary"], StringComparison.Ordinal);
        Assert.StartsWith("Stage value_proposition:", contact.Properties["ai_next_best_action"], StringComparison.Ordinal);
        Assert.Contains("wants a demo", contact.Properties["ai_last_conversation"], StringComparison.Ordinal);

        var deal = Assert.Single(Server.Deals.Values);
        Assert.Equal(("sales", "stage-presented", "Acme GmbH – Anna Meyer"), (deal.Properties["pipeline"], deal.Properties["dealstage"], deal.Properties["dealname"]));
        Assert.Equal([(contact.Id, 3)], deal.Associations);

        var note = Assert.Single(Server.Notes.Values);
        Assert.Equal([(contact.Id, 202), (deal.Id, 214)], note.Associations);
        Assert.Contains("wants a demo", note.Properties["hs_note_body"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(note.Properties["hs_timestamp"], out _));

        Assert.All(Server.Received, r => Assert.Equal($"Bearer {CrmTestBed.Token}", r.Headers["Authorization"]));
        var link = (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!;
        Assert.Equal((contact.Id, deal.Id, "stage-presented", "value_proposition", (string?)null), (link.ContactId, link.DealId, link.DealStage, link.LastSyncedState, link.LastError));
        Assert.Equal(_bed.Clock.GetUtcNow(), link.LastSyncedAt);
    }

    [Fact]
    public async Task The_same_sync_message_twice_leaves_one_contact_one_deal_and_one_note()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);

        await _bed.HandleAsync(lead);
        var searchesBefore = Server.Calls("POST", "/crm/v3/objects/contacts/search").Count;
        await _bed.HandleAsync(lead);

        Assert.Single(Server.Contacts.Values);
        Assert.Single(Server.Deals.Values);
        Assert.Single(Server.Notes.Values);
        // The second run knows the ids: it updates, it does not search or create again.
        Assert.Single(Server.Calls("PATCH", "/crm/v3/objects/contacts/"));
        Assert.Equal(searchesBefore, Server.Calls("POST", "/crm/v3/objects/contacts/search").Count);
    }

    [Fact]
    public async Task Two_syncs_of_one_phone_only_lead_at_once_create_one_contact_and_the_later_one_comes_back_after_the_first()
    {
        // A phone-only lead: HubSpot has no unique e-mail to refuse a second contact with, so only our lease prevents it.
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7, email: null);

        await Task.WhenAll(_bed.HandleAsync(lead), _bed.HandleAsync(lead));

        Assert.Single(Server.Contacts.Values);
        Assert.Single(Server.Deals.Values);
        Assert.Equal(1, await _bed.Queue.CountAsync(Queues.SyncCrm, default)); // the run that found the lease taken, queued again
        Assert.Null((await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!.SyncingUntil);
    }

    [Fact]
    public async Task A_state_change_moves_the_deal_to_the_mapped_stage_and_logs_another_note()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);
        await _bed.HandleAsync(lead);

        await _bed.SetStateAsync(lead, ConversationState.ClosingAttempt);
        await _bed.HandleAsync(lead);

        var deal = Assert.Single(Server.Deals.Values);
        Assert.Equal("stage-closing", deal.Properties["dealstage"]);
        Assert.Equal(2, Server.Notes.Count);
        Assert.Equal("closing_attempt", (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!.LastSyncedState);
    }

    [Fact]
    public async Task A_lead_not_yet_qualified_gets_its_contact_but_no_deal()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.InitialContact, 0.1);

        await _bed.HandleAsync(lead);

        Assert.Single(Server.Contacts.Values);
        Assert.Empty(Server.Deals);
        Assert.Equal("cold", Server.Contacts.Values.Single().Properties["ai_temperature"]);
    }

    [Fact]
    public async Task A_crash_between_creating_the_contact_and_storing_its_id_finds_that_contact_on_the_rerun()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);
        _bed.Links.CrashOnSave = l => l.ContactId is not null;

        await Assert.ThrowsAsync<IOException>(() => _bed.HandleAsync(lead));
        Assert.Single(Server.Contacts.Values);
        await _bed.HandleAsync(lead);

        var contact = Assert.Single(Server.Contacts.Values);
        Assert.Equal(contact.Id, Assert.Single(Server.Deals.Values).Associations.Single().ToId);
        Assert.Equal(contact.Id, (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!.ContactId);
    }

    [Fact]
    public async Task A_crash_between_creating_the_deal_and_storing_its_id_finds_the_deal_of_the_contact_on_the_rerun()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);
        _bed.Links.CrashOnSave = l => l.DealId is not null;

        await Assert.ThrowsAsync<IOException>(() => _bed.HandleAsync(lead));
        await _bed.HandleAsync(lead);

        var deal = Assert.Single(Server.Deals.Values);
        Assert.Single(Server.Contacts.Values);
        Assert.Equal(deal.Id, (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!.DealId);
        var search = Server.Calls("POST", "/crm/v3/objects/deals/search")[^1].Json!;
        Assert.Equal("associations.contact", search["filterGroups"]![0]!["filters"]![0]!["propertyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_contact_created_moments_ago_that_search_does_not_see_yet_is_taken_from_HubSpots_409_not_created_twice()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.InitialContact, 0.1);
        _bed.Links.CrashOnSave = l => l.ContactId is not null;
        await Assert.ThrowsAsync<IOException>(() => _bed.HandleAsync(lead));
        Server.SearchSeesNewObjects = false;

        await _bed.HandleAsync(lead);

        var contact = Assert.Single(Server.Contacts.Values);
        Assert.Equal(contact.Id, (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!.ContactId);
    }

    [Fact]
    public async Task A_lead_without_email_is_found_by_phone()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.InitialContact, 0.1, email: null, phone: "+4917055555555");
        Server.Contacts["77"] = new HubSpotApiServer.CrmObject("77", new() { ["phone"] = "+4917055555555", ["firstname"] = "Anna" }, [], DateTimeOffset.UtcNow);

        await _bed.HandleAsync(lead);

        Assert.Equal("77", Assert.Single(Server.Contacts.Values).Id);
        var searches = Server.Calls("POST", "/crm/v3/objects/contacts/search");
        Assert.Equal("phone", Assert.Single(searches).Json!["filterGroups"]![0]!["filters"]![0]!["propertyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_429_is_recorded_on_the_link_and_the_sync_queued_again_after_Retry_After_without_waiting()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);
        Server.Enqueue(HubSpotApiServer.TooManyRequests(7));

        await _bed.HandleAsync(lead);

        var failed = (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!;
        Assert.Contains("HubSpot 429 RATE_LIMITS", failed.LastError, StringComparison.Ordinal);
        Assert.Equal((false, 1, _bed.Clock.GetUtcNow().AddSeconds(7)), (failed.ErrorIsPermanent, failed.Attempts, failed.NextRetryAt));
        Assert.Null(await _bed.ClaimAsync());

        _bed.Clock.Advance(TimeSpan.FromSeconds(7));
        var retry = await _bed.ClaimAsync();
        Assert.NotNull(retry);
        await _bed.Handler.HandleAsync(retry, default);

        var synced = (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!;
        Assert.Equal(((string?)null, 0, (DateTimeOffset?)null), (synced.LastError, synced.Attempts, synced.NextRetryAt));
        Assert.Single(Server.Contacts.Values);
        Assert.Single(Server.Deals.Values);
    }

    [Fact]
    public async Task A_5xx_is_transient_and_the_retry_timer_queues_a_failed_sync_whose_requeue_was_lost()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.InitialContact, 0.1);
        Server.Enqueue(HubSpotApiServer.ServiceUnavailable());
        await _bed.HandleAsync(lead);
        var queued = await _bed.ClaimAsync();
        Assert.Null(queued);
        _bed.Clock.Advance(CrmSyncService.FirstBackoff);
        await _bed.Queue.CompleteAsync((await _bed.ClaimAsync())!, default); // the re-queue is lost

        var sweeper = new CrmRetrySweeper(_bed.Links, _bed.Queue, _bed.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<CrmRetrySweeper>.Instance);
        Assert.Equal(1, await sweeper.SweepAsync(default));

        await _bed.Handler.HandleAsync((await _bed.ClaimAsync())!, default);
        Assert.Single(Server.Contacts.Values);
        Assert.Equal(0, await sweeper.SweepAsync(default));
    }

    [Fact]
    public async Task A_refused_token_is_a_permanent_failure_with_HubSpots_message_and_is_not_queued_again()
    {
        await _bed.AddClientAsync(new HubSpotConfig("pat-wrong-token-1234"), "globex");
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7, clientId: "globex");

        await _bed.HandleAsync(lead);

        var failed = (await _bed.Links.GetAsync("globex", lead.Id, default))!;
        Assert.True(failed.ErrorIsPermanent);
        Assert.Contains("HubSpot 401 INVALID_AUTHENTICATION: Authentication credentials not found", failed.LastError, StringComparison.Ordinal);
        Assert.Null(failed.NextRetryAt);
        _bed.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await _bed.ClaimAsync());
        Assert.Empty(await _bed.Links.ListRetryDueAsync(_bed.Clock.GetUtcNow(), 10, default));
        Assert.Empty(Server.Contacts);
    }

    [Fact]
    public async Task A_client_without_hubspot_config_has_nothing_synced()
    {
        await _bed.AddClientAsync(null, "initech");
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7, clientId: "initech");

        await _bed.HandleAsync(lead);

        Assert.Empty(Server.Received);
        Assert.Null(await _bed.Links.GetAsync("initech", lead.Id, default));
    }

    [Fact]
    public async Task A_deal_a_human_closed_in_HubSpot_is_not_moved_back_by_a_later_state_change()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);
        await _bed.HandleAsync(lead);
        await _bed.Outcomes.SetAsync(new LeadOutcome(CrmTestBed.ClientId, lead.Id, LeadOutcomes.Won, null, "closed in HubSpot", "hubspot", _bed.Clock.GetUtcNow()), default);
        Server.Deals.Values.Single().Properties["dealstage"] = "stage-won";

        await _bed.SetStateAsync(lead, ConversationState.ClosingAttempt);
        await _bed.HandleAsync(lead);

        Assert.Equal("stage-won", Server.Deals.Values.Single().Properties["dealstage"]);
        Assert.Empty(Server.Calls("PATCH", "/crm/v3/objects/deals/"));
    }
}
