using Moq;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Queue;

namespace SalesFlow.Tests.Crm;

/// <summary>The sync's rules with the meetings port mocked (its adapter is another slice's), and the reaction that queues a sync.</summary>
public sealed class CrmSyncServiceTests : IAsyncLifetime
{
    private readonly Mock<IMeetingStore> _meetings = new();
    private readonly List<Meeting> _leadMeetings = [];
    private CrmTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _meetings.Setup(m => m.ListForLeadAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. _leadMeetings]);
        _bed = await CrmTestBed.StartAsync(_meetings.Object);
        await _bed.AddClientAsync(new HubSpotConfig(CrmTestBed.Token));
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Meeting Booked(string leadId, string status = MeetingStatus.Booked) => new()
    {
        Id = "mtg_1",
        ClientId = CrmTestBed.ClientId,
        LeadId = leadId,
        Provider = MeetingProviders.CalCom,
        ExternalId = "bk_1",
        Start = new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 12, 8, 14, 30, 0, TimeSpan.Zero),
        TimeZone = "Europe/Berlin",
        Language = "de",
        Status = status,
        IdempotencyKey = "book/1",
    };

    [Fact]
    public async Task A_booked_meeting_qualifies_a_cold_lead_for_a_deal_in_the_stock_pipeline_and_is_in_the_note()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.InterestQualification, 0.1);
        _leadMeetings.Add(Booked(lead.Id));

        await _bed.HandleAsync(lead);

        var deal = Assert.Single(_bed.Server.Deals.Values);
        Assert.Equal(("default", "qualifiedtobuy"), (deal.Properties["pipeline"], deal.Properties["dealstage"]));
        Assert.Contains("Meeting booked: 2026-12-08 14:00 UTC (Europe/Berlin, calcom)", Assert.Single(_bed.Server.Notes.Values).Properties["hs_note_body"], StringComparison.Ordinal);
        _meetings.Verify(m => m.ListForLeadAsync(CrmTestBed.ClientId, lead.Id, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_cancelled_meeting_logs_a_new_note_but_an_unchanged_lead_logs_none()
    {
        var lead = await _bed.AddLeadAsync(ConversationState.InterestQualification, 0.1);
        _leadMeetings.Add(Booked(lead.Id));
        await _bed.HandleAsync(lead);
        await _bed.HandleAsync(lead);
        Assert.Single(_bed.Server.Notes.Values);

        _leadMeetings[0] = Booked(lead.Id, MeetingStatus.Cancelled);
        await _bed.HandleAsync(lead);

        Assert.Equal(2, _bed.Server.Notes.Count);
        Assert.Contains(_bed.Server.Notes.Values, n => n.Properties["hs_note_body"].Contains("Meeting cancelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_custom_pipeline_without_a_stage_for_the_state_is_a_permanent_failure_naming_the_stage_map()
    {
        await _bed.AddClientAsync(new HubSpotConfig(CrmTestBed.Token, "sales", new Dictionary<string, string> { ["closing_attempt"] = "s1" }), "globex");
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7, clientId: "globex");

        await _bed.HandleAsync(lead);

        var link = (await _bed.Links.GetAsync("globex", lead.Id, default))!;
        Assert.True(link.ErrorIsPermanent);
        Assert.Equal("hubspot.stageMap names no deal stage for 'value_proposition' in pipeline 'sales'.", link.LastError);
        Assert.NotNull(link.ContactId);
        Assert.Empty(_bed.Server.Deals);
    }

    [Theory]
    [InlineData(0.1, ConversationState.InterestQualification, false, false)]
    [InlineData(0.3, ConversationState.InitialContact, false, true)]
    [InlineData(0.1, ConversationState.ValueProposition, false, true)]
    [InlineData(0.1, ConversationState.InitialContact, true, true)]
    public void Qualified_means_warm_or_hot_or_value_proposition_or_later_or_a_meeting(double bant, ConversationState state, bool meeting, bool qualified)
    {
        var d = new Core.Qualification.BantDimension(bant, []);
        var profile = Core.Qualification.LeadProfile.New("acme", "lead_1") with { Bant = new Core.Qualification.BantAssessment(d, d, d, d) };
        Assert.Equal(qualified, CrmSyncService.IsQualified(profile, state, meeting));
    }

    [Fact]
    public void The_backoff_doubles_from_30_seconds_up_to_an_hour()
    {
        Assert.Equal([30, 60, 120, 240], Enumerable.Range(1, 4).Select(a => CrmSyncService.Backoff(a).TotalSeconds));
        Assert.Equal(TimeSpan.FromHours(1), CrmSyncService.Backoff(20));
    }

    [Fact]
    public async Task The_reaction_queues_one_coalesced_sync_per_lead_for_hot_state_and_meeting_events_of_configured_clients_only()
    {
        var queue = new Mock<IWorkQueue>();
        var clients = new Mock<IClientStore>();
        clients.Setup(c => c.GetAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(new Client("acme", "Acme", "h", new ClientChannelSecrets("a", "b", "c", "d"), Config: new ClientConfig(HubSpot: new HubSpotConfig("pat-x"))));
        clients.Setup(c => c.GetAsync("initech", It.IsAny<CancellationToken>())).ReturnsAsync(new Client("initech", "Initech", "h2", new ClientChannelSecrets("a", "b", "c", "d")));
        var reaction = new CrmSyncReaction(clients.Object, queue.Object);
        var at = DateTimeOffset.UtcNow;

        await reaction.ReactAsync(new LeadBecameHot("acme", "lead_1", at, 3, 0.8), default);
        await reaction.ReactAsync(new LeadStateChanged("acme", "lead_1", at, "conv_1", 2, "initial_contact", "value_proposition", "need stated"), default);
        await reaction.ReactAsync(new MeetingBooked("acme", "lead_1", at, "mtg_1", "bk_1", at, at.AddMinutes(30), "Europe/Berlin"), default);
        await reaction.ReactAsync(new MeetingCancelled("acme", "lead_1", at, "mtg_1", null), default);
        await reaction.ReactAsync(new LeadOptedOut("acme", "lead_1", at, 4), default);
        await reaction.ReactAsync(new LeadBecameHot("initech", "lead_9", at, 3, 0.8), default);

        queue.Verify(q => q.EnqueueAsync(Queues.SyncCrm, It.Is<string>(p => SyncCrmWork.Parse(p) == new SyncCrmWork("acme", "lead_1")), TimeSpan.Zero, "crm/acme/lead_1", It.IsAny<CancellationToken>()), Times.Exactly(4));
        queue.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Inside_a_turn_the_reaction_uses_the_client_the_turn_read_and_never_another_clients()
    {
        var queue = new Mock<IWorkQueue>();
        var clients = new Mock<IClientStore>();
        clients.Setup(c => c.GetAsync("initech", It.IsAny<CancellationToken>())).ReturnsAsync(new Client("initech", "Initech", "h2", new ClientChannelSecrets("a", "b", "c", "d")));
        var reaction = new CrmSyncReaction(clients.Object, queue.Object);
        var at = DateTimeOffset.UtcNow;
        var acme = new Client("acme", "Acme", "h", new ClientChannelSecrets("a", "b", "c", "d"), Config: new ClientConfig(HubSpot: new HubSpotConfig("pat-x")));

        using (TurnClient.Hold(acme))
        {
            await reaction.ReactAsync(new LeadStateChanged("acme", "lead_1", at, "conv_1", 2, "initial_contact", "value_proposition", "need stated"), default);
            await reaction.ReactAsync(new LeadStateChanged("initech", "lead_9", at, "conv_9", 2, "initial_contact", "value_proposition", "need stated"), default);
        }

        Assert.Null(TurnClient.For("acme"));
        clients.Verify(c => c.GetAsync("acme", It.IsAny<CancellationToken>()), Times.Never);
        clients.Verify(c => c.GetAsync("initech", It.IsAny<CancellationToken>()), Times.Once);
        queue.Verify(q => q.EnqueueAsync(Queues.SyncCrm, It.IsAny<string>(), TimeSpan.Zero, "crm/acme/lead_1", It.IsAny<CancellationToken>()), Times.Once);
        queue.VerifyNoOtherCalls();
    }
}
