using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Outreach;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Outreach;

public sealed class FirstContactChannelTests
{
    private const string Phone = "+491701234567";
    private const string Email = "anna@example.com";

    private static Client AcmeWith(ClientConfig? config) => new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin") { Config = config };

    private static readonly ClientConfig WithTemplate = new(WhatsApp: new WhatsAppConfig(Templates: new Dictionary<string, WhatsAppTemplate> { ["firstContact"] = new("lead_welcome", "de") }));

    [Fact]
    public void WhatsApp_with_an_approved_template_comes_first_and_carries_first_name_and_client_name()
    {
        var route = FirstContactChannel.Choose(new ContactConsent(true, true, true), Phone, Email, AcmeWith(WithTemplate), "Anna");
        Assert.Equal(new FirstContactRoute(ChannelKind.WhatsApp, Phone, route!.Template), route);
        Assert.Equal(("lead_welcome", "de"), (route.Template!.Name, route.Template.Language));
        Assert.Equal(["Anna", "Acme"], route.Template.BodyParameters);
    }

    [Fact]
    public void Without_a_template_or_consent_the_next_reachable_consented_channel_is_chosen()
    {
        Assert.Equal(ChannelKind.Sms, FirstContactChannel.Choose(new ContactConsent(true, true, true), Phone, Email, AcmeWith(null), "Anna")!.Channel);
        Assert.Equal(ChannelKind.Email, FirstContactChannel.Choose(new ContactConsent(true, false, true), Phone, Email, AcmeWith(ClientConfig.Empty), "Anna")!.Channel);
        Assert.Equal(ChannelKind.Email, FirstContactChannel.Choose(new ContactConsent(false, true, true), null, Email, AcmeWith(WithTemplate), "Anna")!.Channel);
        Assert.Equal(ChannelKind.Sms, FirstContactChannel.Choose(new ContactConsent(false, true, true), Phone, Email, AcmeWith(WithTemplate), "Anna")!.Channel);
    }

    [Fact]
    public void No_consented_channel_that_reaches_the_lead_is_no_route()
    {
        Assert.Null(FirstContactChannel.Choose(new ContactConsent(false, false, false), Phone, Email, AcmeWith(WithTemplate), "Anna"));
        Assert.Null(FirstContactChannel.Choose(new ContactConsent(true, true, false), null, Email, AcmeWith(WithTemplate), "Anna"));
        Assert.Null(FirstContactChannel.Choose(new ContactConsent(false, false, true), Phone, null, AcmeWith(WithTemplate), "Anna"));
    }

    [Fact]
    public void The_rules_greeting_names_the_lead_the_interest_and_the_client_in_the_lead_s_language()
    {
        var request = new OutreachRequest("acme", "Acme Solar", "lead_1", "conv_1", "Anna", "de", ChannelKind.Sms, OutboxPurpose.FirstContact, 0, 1, Core.Conversations.ConversationState.InitialContact, false, "Wärmepumpen");
        Assert.Equal("Hallo Anna, danke für Ihr Interesse an Wärmepumpen! Hier ist Acme Solar. Was möchten Sie wissen, oder wann passt Ihnen ein kurzes Gespräch?", RulesOutreachWriter.Write(request));
        var email = RulesOutreachWriter.Write(request with { Language = "en", Channel = ChannelKind.Email, Interest = null });
        Assert.Equal("Hi Anna, thanks for getting in touch with Acme Solar! How can we help you?\n\nBest regards,\nThe Acme Solar team", email);
    }

    [Fact]
    public async Task Delivery_records_the_time_from_form_to_vendor_call_for_first_contacts_only()
    {
        var recorded = new List<(double Ms, string? Channel)>();
        // The meter is static and other tests deliver in parallel: only this test's execution context counts.
        var mine = new AsyncLocal<bool> { Value = true };
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SalesFlowMetrics.MeterName && instrument.Name == "salesflow.speed_to_lead")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (mine.Value)
            {
                recorded.Add((value, tags.ToArray().Single(t => t.Key == "channel").Value as string));
            }
        });
        listener.Start();

        using var bed = new EngineTestBed();
        var (lead, _) = await bed.Leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, Phone, () => new Lead { Id = "lead_1", ClientId = "acme" }, default);
        var item = new OutboxItem { Id = "out_1", ClientId = "acme", LeadId = lead.Id, ConversationId = "conv_1", Channel = ChannelKind.Sms, Recipient = Phone, Text = "Hi", IdempotencyKey = "k1", Purpose = OutboxPurpose.FirstContact, CreatedAt = bed.Clock.GetUtcNow() };
        await bed.Outbox.AddAsync(item, default);
        await bed.Outbox.AddAsync(item with { Id = "out_2", IdempotencyKey = "k2", Purpose = OutboxPurpose.Reply }, default);
        var sender = new Mock<IChannelSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<OutboxItem>(), It.IsAny<CancellationToken>())).ReturnsAsync("SM1");
        var delivery = bed.Delivery(sender.Object);
        var clock = bed.Clock;

        clock.Advance(TimeSpan.FromMilliseconds(1500));
        await delivery.DeliverAsync("acme", "out_1", default);
        await delivery.DeliverAsync("acme", "out_2", default);

        Assert.Equal([(1500d, (string?)"sms")], recorded);
    }
}
