using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SalesFlow.Core.Alerts;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Core.Reach;
using SalesFlow.Infrastructure.Delivery;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Delivery;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Alerts;

/// <summary>
/// Staff alerts on the delivery path: the lead's opt-out or erasure does not stop them (they go to the client's people),
/// the e-mail suppression list does; an SMS alert is routed to the staff number through Twilio.
/// </summary>
public sealed class StaffAlertDeliveryTests : IDisposable
{
    private const string ClientId = "acme";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly SqliteOutboxStore _outbox;
    private readonly SqliteLeadStore _leads;
    private readonly SqliteDeliveryFeedbackStore _feedback;
    private readonly Mock<IOptOutLedger> _optOuts = new();
    private readonly Mock<IChannelSender> _sender = new();
    private readonly DeliveryService _delivery;
    private readonly StaffOutbox _staff;

    public StaffAlertDeliveryTests()
    {
        _outbox = new SqliteOutboxStore(_temp.Db);
        _leads = new SqliteLeadStore(_temp.Db);
        _feedback = new SqliteDeliveryFeedbackStore(_temp.Db);
        // Everyone has opted out, as far as the ledger knows: a staff alert must not ask it.
        _optOuts.Setup(o => o.IsOptedOutAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _sender.Setup(s => s.SendAsync(It.IsAny<OutboxItem>(), It.IsAny<CancellationToken>())).ReturnsAsync("provider-1");
        var clock = new FakeTimeProvider(Now);
        var options = Options.Create(new DeliveryOptions { PerRecipientInterval = TimeSpan.Zero });
        var queue = new Mock<IWorkQueue>().Object;
        _delivery = new DeliveryService(_outbox, _leads, _optOuts.Object, _sender.Object, _feedback, queue, new DeliveryRateLimiter(options, clock), options, clock, NullLogger<DeliveryService>.Instance);
        _staff = new StaffOutbox(_outbox, queue);
    }

    public void Dispose() => _temp.Dispose();

    private async Task<OutboxItem> AlertAsync(string leadId, string address = "sales@acme.example")
    {
        var key = $"alert/test/{leadId}/{address}";
        await _staff.EmailAsync(ClientId, leadId, OutboxPurpose.Alert, address, key, new StaffEmail("🔥 Hot lead: Anna", "Anna is hot"), Now, default);
        return (await _outbox.GetAsync(ClientId, StaffOutbox.IdFor(ClientId, key), default))!;
    }

    [Fact]
    public async Task An_alert_about_a_lead_who_opted_out_still_reaches_the_staff()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync(ClientId, IdentityKind.Phone, "+4917012345678", () => new Lead { Id = Ids.New("lead"), ClientId = ClientId, OptedOut = true, CreatedAt = Now, UpdatedAt = Now }, default);
        var alert = await AlertAsync(lead.Id);

        await _delivery.DeliverAsync(ClientId, alert.Id, default);

        Assert.Equal(OutboxStatus.Sent, (await _outbox.GetAsync(ClientId, alert.Id, default))!.Status);
        _sender.Verify(s => s.SendAsync(It.Is<OutboxItem>(i => i.Recipient == "sales@acme.example"), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task A_summary_about_no_lead_is_sent_and_not_taken_for_an_erased_lead()
    {
        var key = "summary/acme/2026-12-04/sales@acme.example";
        await _staff.EmailAsync(ClientId, OutboxItem.NoLead, OutboxPurpose.DailySummary, "sales@acme.example", key, new StaffEmail("Summary", "Summary"), Now, default);

        await _delivery.DeliverAsync(ClientId, StaffOutbox.IdFor(ClientId, key), default);

        Assert.Equal(OutboxStatus.Sent, (await _outbox.GetAsync(ClientId, StaffOutbox.IdFor(ClientId, key), default))!.Status);
    }

    [Fact]
    public async Task An_alert_to_a_staff_address_on_the_suppression_list_is_suppressed()
    {
        await _feedback.SuppressEmailAsync(new EmailSuppression(ClientId, "sales@acme.example", "bounce: 550 user unknown", Now), default);
        var alert = await AlertAsync(OutboxItem.NoLead);

        await _delivery.DeliverAsync(ClientId, alert.Id, default);

        var stored = (await _outbox.GetAsync(ClientId, alert.Id, default))!;
        Assert.Equal(OutboxStatus.Suppressed, stored.Status);
        Assert.Contains("suppression list", stored.Error, StringComparison.Ordinal);
        _sender.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task An_on_call_sms_goes_through_twilio_to_the_staff_number()
    {
        const string sid = "AC0123456789abcdef0123456789abcdef";
        const string token = "twilio-auth-token-for-alerts";
        await using var twilio = await TwilioApiServer.StartAsync(sid, token);
        var client = new Client(ClientId, "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), Config: new ClientConfig(Twilio: new TwilioConfig(sid, token, SmsFrom: "+15005550006")));
        var clients = new Mock<IClientStore>();
        clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(client);
        await using var host = SenderTestHost.Create(new() { ["Twilio:ApiBaseUrl"] = twilio.BaseUrlSetting }, clients.Object);
        var key = "alert/lead.became_hot/acme/lead_1/4/sms:+4915199999999";
        await _staff.SmsAsync(ClientId, "lead_1", "+4915199999999", key, "Hot lead: Anna Schmidt (Acme GmbH)", Now, default);

        await host.Get<IChannelSender>().SendAsync((await _outbox.GetAsync(ClientId, StaffOutbox.IdFor(ClientId, key), default))!, default);

        var form = TwilioApiServer.Form(Assert.Single(twilio.Sends));
        Assert.Equal(("+4915199999999", "+15005550006", "Hot lead: Anna Schmidt (Acme GmbH)"), (form["To"], form["From"], form["Body"]));
    }

    [Fact]
    public async Task SendGrid_gets_the_alerts_own_html_and_its_text_alternative_under_its_subject_without_thread_headers()
    {
        const string apiKey = "SG.alerts-test-key-7a7a";
        await using var sendGrid = await SendGridApiServer.StartAsync(apiKey);
        await using var host = SenderTestHost.Create(new() { ["SendGrid:ApiBaseUrl"] = sendGrid.BaseUrlSetting });
        var alert = await AlertAsync("lead_1");

        await host.Get<SendGridEmailSender>().SendAsync(alert, new EmailConfig("alerts@acme.example", "Acme", apiKey), "Acme", default);

        var body = Assert.Single(sendGrid.Sends).Json!;
        Assert.Equal("🔥 Hot lead: Anna", body["subject"]!.GetValue<string>());
        Assert.Null(body["headers"]);
        var content = body["content"]!.AsArray();
        Assert.Equal(("text/plain", alert.Text), (content[0]!["type"]!.GetValue<string>(), content[0]!["value"]!.GetValue<string>()));
        Assert.Equal(("text/html", alert.HtmlBody), (content[1]!["type"]!.GetValue<string>(), content[1]!["value"]!.GetValue<string>()));
    }
}
