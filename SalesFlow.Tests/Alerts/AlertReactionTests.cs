using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SalesFlow.Core.Alerts;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Alerts;

/// <summary>The staff alerts a lead's events write: which, to whom, how often, and what they say (on a real SQLite outbox).</summary>
public sealed class AlertReactionTests : IDisposable
{
    private const string ClientId = "acme";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly SqliteOutboxStore _outbox;
    private readonly Mock<IWorkQueue> _queue = new();
    private readonly Mock<IClientStore> _clients = new();
    private readonly Mock<ILeadStore> _leads = new();
    private readonly Mock<ILeadProfileStore> _profiles = new();
    private readonly Mock<IConversationStore> _conversations = new();
    private readonly AlertReaction _reaction;

    private Lead _lead = new()
    {
        Id = "lead_anna",
        ClientId = ClientId,
        Name = "Anna Schmidt",
        Email = "anna@kunde.example",
        Phone = "+4917012345678",
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    public AlertReactionTests()
    {
        _outbox = new SqliteOutboxStore(_temp.Db);
        Configure(new AlertsConfig(["sales@acme.example", "boss@acme.example"], "+4915199999999"));
        _leads.Setup(l => l.GetAsync(ClientId, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => _lead);
        _profiles.Setup(p => p.GetAsync(ClientId, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new LeadProfile { ClientId = ClientId, LeadId = "lead_anna", Facts = ProfileFacts.Empty with { Company = "Acme GmbH", Role = "Head of Sales" } });
        var conversation = new Conversation { Id = "conv_1", ClientId = ClientId, LeadId = "lead_anna" };
        _conversations.Setup(c => c.FindForLeadAsync(ClientId, "lead_anna", It.IsAny<CancellationToken>())).ReturnsAsync(conversation);
        _conversations.Setup(c => c.ListMessagesAsync(ClientId, "conv_1", AlertReaction.QuotedMessages, It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            Message("Can I speak to a person? <b>Now</b> & quickly", MessageDirection.Inbound),
            Message("Of course, someone will contact you.", MessageDirection.Outbound),
        ]);
        _reaction = new AlertReaction(_clients.Object, _leads.Object, _profiles.Object, _conversations.Object, new StaffOutbox(_outbox, _queue.Object), new FakeTimeProvider(Now), NullLogger<AlertReaction>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private static LeadBecameHot Hot => new(ClientId, "lead_anna", Now, ThroughSeq: 4, Score: 0.82);

    private void Configure(AlertsConfig? alerts, string? language = null, string? timeZone = null) =>
        _clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(
            new Client(ClientId, "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), Config: new ClientConfig(Alerts: alerts, Language: language, TimeZone: timeZone)));

    private static Message Message(string text, MessageDirection direction) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        ClientId = ClientId,
        LeadId = "lead_anna",
        ConversationId = "conv_1",
        Direction = direction,
        Channel = ChannelKind.WhatsApp,
        Text = text,
        CreatedAt = Now,
    };

    private async Task<IReadOnlyList<OutboxItem>> ItemsAsync() => (await _outbox.ListPageAsync(ClientId, null, null, null, 100, default)).Items;

    [Fact]
    public async Task A_hot_lead_alerts_each_address_and_the_on_call_number_once_however_often_the_event_is_reported()
    {
        await _reaction.ReactAsync(Hot, default);
        await _reaction.ReactAsync(Hot, default);
        await _reaction.ReactAsync(Hot with { OccurredAt = Now.AddMinutes(1) }, default); // the same moment reported later

        var items = await ItemsAsync();
        Assert.Equal(3, items.Count);
        Assert.Equal(["boss@acme.example", "sales@acme.example"], items.Where(i => i.Channel == ChannelKind.Email).Select(i => i.Recipient).Order());
        var sms = Assert.Single(items, i => i.Channel == ChannelKind.Sms);
        Assert.Equal("+4915199999999", sms.Recipient);
        Assert.Contains("Anna Schmidt (Acme GmbH)", sms.Text, StringComparison.Ordinal);
        Assert.All(items, i => Assert.Equal((OutboxPurpose.Alert, "lead_anna", OutboxStatus.Pending), (i.Purpose, i.LeadId, i.Status)));
        Assert.Equal(items.Select(i => AlertReaction.KeyFor(Hot, i.Channel == ChannelKind.Sms ? "sms:" + i.Recipient : i.Recipient)).Order(), items.Select(i => i.IdempotencyKey).Order());

        // Each item's delivery is queued; repeats only queue the same (coalesced) delivery again.
        foreach (var item in items)
        {
            _queue.Verify(q => q.EnqueueAsync(Queues.Deliver, It.Is<string>(p => p.Contains(item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), It.IsAny<CancellationToken>()), Times.AtLeastOnce());
        }

        _queue.Verify(q => q.EnqueueAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.Is<string>(k => !items.Any(i => DeliverWork.CoalesceKey(i.Id) == k)), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task A_new_hot_moment_of_the_same_lead_is_a_new_alert()
    {
        await _reaction.ReactAsync(Hot, default);
        await _reaction.ReactAsync(Hot with { ThroughSeq = 9 }, default);

        Assert.Equal(6, (await ItemsAsync()).Count);
    }

    [Fact]
    public async Task An_escalation_alerts_the_addresses_with_the_reason_and_the_last_messages_but_sends_no_sms()
    {
        await _reaction.ReactAsync(new LeadEscalated(ClientId, "lead_anna", Now, 12, "asked for a human"), default);

        var items = await ItemsAsync();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(ChannelKind.Email, i.Channel));
        var alert = items[0];
        Assert.Equal("⚠️ Human needed: Anna Schmidt (Acme GmbH)", alert.Thread!.Subject);
        Assert.Contains("Reason: asked for a human", alert.Text, StringComparison.Ordinal);
        Assert.Contains("> Anna Schmidt: Can I speak to a person? <b>Now</b> & quickly", alert.Text, StringComparison.Ordinal);
        Assert.Contains("> Assistant: Of course, someone will contact you.", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Can I speak to a person? &lt;b&gt;Now&lt;/b&gt; &amp; quickly", alert.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Now</b>", alert.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everything_taken_from_the_lead_is_html_encoded_in_the_html_body_and_kept_as_written_in_the_text()
    {
        _lead = _lead with { Name = "Anna <script>alert('x')</script> Schmidt", Email = "a&b@kunde.example" };

        await _reaction.ReactAsync(Hot, default);

        var alert = (await ItemsAsync()).First(i => i.Channel == ChannelKind.Email);
        Assert.DoesNotContain("<script>", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Anna &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Schmidt", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("a&amp;b@kunde.example", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Anna <script>alert('x')</script> Schmidt", alert.Text, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", alert.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_are_written_in_english_or_german_as_the_client_speaks()
    {
        await _reaction.ReactAsync(Hot, default);
        Configure(new AlertsConfig(["vertrieb@acme.example"]), language: "de");
        await _reaction.ReactAsync(Hot with { ThroughSeq = 5 }, default);

        var items = await ItemsAsync();
        Assert.Equal("🔥 Hot lead: Anna Schmidt (Acme GmbH)", items.First(i => i.Recipient == "sales@acme.example").Thread!.Subject);
        var german = Assert.Single(items, i => i.Recipient == "vertrieb@acme.example");
        Assert.Equal("🔥 Heißer Lead: Anna Schmidt (Acme GmbH)", german.Thread!.Subject);
        Assert.Contains("Firma: Acme GmbH", german.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booked_meeting_names_its_time_in_the_clients_zone_and_the_leads_contact()
    {
        Configure(new AlertsConfig(["sales@acme.example"], "+4915199999999"), language: "de", timeZone: "Europe/Berlin");
        var start = new DateTimeOffset(2026, 12, 8, 13, 0, 0, TimeSpan.Zero);

        await _reaction.ReactAsync(new MeetingBooked(ClientId, "lead_anna", Now, "mtg_1", "cal_9", start, start.AddMinutes(30), "America/New_York"), default);

        var alert = Assert.Single(await ItemsAsync());
        Assert.Equal("📅 Termin gebucht: Anna Schmidt (Acme GmbH)", alert.Thread!.Subject);
        Assert.Contains("Wann: Di., 8. Dez. 2026, 14:00–14:30 (Europe/Berlin)", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Zeitzone des Leads: America/New_York", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Telefon: +4917012345678", alert.Text, StringComparison.Ordinal);
        Assert.Contains("E-Mail: anna@kunde.example", alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_alert_addresses_gets_nothing_and_other_events_alert_nobody()
    {
        await _reaction.ReactAsync(new LeadOptedOut(ClientId, "lead_anna", Now, 3), default);
        await _reaction.ReactAsync(new LeadStateChanged(ClientId, "lead_anna", Now, "conv_1", 2, "discovery", "qualification", null), default);
        Configure(null);
        await _reaction.ReactAsync(Hot, default);
        await _reaction.ReactAsync(new LeadEscalated(ClientId, "lead_anna", Now, 12, "negative"), default);

        Assert.Empty(await ItemsAsync());
        _queue.VerifyNoOtherCalls();
    }
}
