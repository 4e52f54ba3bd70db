using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Reach;

namespace SalesFlow.Tests.Reach;

/// <summary>The one channel and template decision for messages that are not replies (follow-ups, first contact).</summary>
public sealed class OutboundRouteTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly Lead Anna = new() { Id = "lead_1", ClientId = "acme", Name = "Anna Meyer", Phone = "+491701234567" };
    private static readonly Client Acme = new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49");

    private static readonly IReadOnlyDictionary<string, WhatsAppTemplate> FollowUpTemplate =
        new Dictionary<string, WhatsAppTemplate> { [TemplatePurpose.FollowUp] = new("sales_follow_up", "de") };

    private static Client With(WhatsAppConfig? whatsApp = null, TwilioConfig? twilio = null, EmailConfig? email = null) =>
        Acme with { Config = new ClientConfig(whatsApp, twilio, email) };

    private static Dictionary<ChannelKind, LastInbound> WroteOnWhatsApp(TimeSpan ago) => new() { [ChannelKind.WhatsApp] = new LastInbound(Now - ago, "+491701234567") };

    private static OutboundRoute Choose(Client client, Lead lead, IReadOnlyDictionary<ChannelKind, LastInbound> last, string purpose = TemplatePurpose.FollowUp) =>
        OutboundRoute.Choose(lead, [], client, purpose, [ChannelKind.WhatsApp, ChannelKind.Sms, ChannelKind.Email], last, Now);

    [Theory]
    [InlineData(1, false)]
    [InlineData(23.9, false)]
    [InlineData(24, true)]
    [InlineData(72, true)]
    public void WhatsApp_takes_free_text_within_24_hours_of_the_lead_s_last_whatsapp_message_and_a_template_after(double hoursAgo, bool template)
    {
        var route = Choose(With(new WhatsAppConfig(Templates: FollowUpTemplate)), Anna, WroteOnWhatsApp(TimeSpan.FromHours(hoursAgo)));

        Assert.Equal((ChannelKind.WhatsApp, "+491701234567"), (route.Channel, route.Recipient));
        Assert.Equal(template, route.Template is not null);
    }

    [Fact]
    public void Outside_the_window_the_purpose_s_template_goes_out_with_the_first_name_then_the_client_s_name()
    {
        var route = Choose(With(new WhatsAppConfig(Templates: FollowUpTemplate)), Anna, WroteOnWhatsApp(TimeSpan.FromDays(2)));

        Assert.Equal(("sales_follow_up", "de"), (route.Template!.Name, route.Template.Language));
        Assert.Equal(["Anna", "Acme"], route.Template.BodyParameters);
        Assert.Equal(["there", "Acme"], OutboundRoute.TemplateParameters(Anna with { Name = null }, Acme, "en_US"));
    }

    [Fact]
    public void Without_a_template_for_the_purpose_the_message_falls_back_to_sms_on_the_same_phone()
    {
        var route = Choose(With(new WhatsAppConfig(Templates: FollowUpTemplate)), Anna, WroteOnWhatsApp(TimeSpan.FromDays(2)), TemplatePurpose.FirstContact);

        Assert.Equal((ChannelKind.Sms, "+491701234567", null), (route.Channel, route.Recipient, route.Template));
        Assert.Contains("no approved template for 'firstContact'", Assert.Single(route.PassedOver));
    }

    [Fact]
    public void With_neither_template_nor_sms_the_message_goes_by_e_mail_and_with_no_e_mail_it_is_skipped_with_the_reason()
    {
        var client = With(new WhatsAppConfig("1234567890", "token"), email: new EmailConfig("sales@acme.example", SendGridApiKey: "SG.key"));

        var byEmail = Choose(client, Anna with { Email = "anna@example.com" }, WroteOnWhatsApp(TimeSpan.FromDays(2)));
        var skipped = Choose(client, Anna, WroteOnWhatsApp(TimeSpan.FromDays(2)));

        Assert.Equal((ChannelKind.Email, "anna@example.com"), (byEmail.Channel, byEmail.Recipient));
        Assert.True(skipped.Skipped);
        Assert.Null(skipped.Recipient);
        Assert.Equal(
            "whatsapp: outside the 24-hour window and no approved template for 'followUp' (whatsapp.templates.followUp); sms: the client has no sms sender configured; email: the lead has no e-mail address",
            skipped.SkipReason);
    }

    [Fact]
    public void A_lead_who_never_wrote_on_whatsapp_is_outside_the_window()
    {
        var route = Choose(Acme, Anna, new Dictionary<ChannelKind, LastInbound>());

        Assert.Equal(ChannelKind.Sms, route.Channel);
    }

    [Fact]
    public void A_client_without_any_vendor_channel_keeps_the_embedded_outbox_for_every_channel()
    {
        Assert.True(OutboundRoute.CanSendOn(null, ChannelKind.Sms));
        Assert.True(OutboundRoute.CanSendOn(new ClientConfig(TimeZone: "Europe/Berlin"), ChannelKind.Email));
        Assert.False(OutboundRoute.CanSendOn(new ClientConfig(Twilio: new TwilioConfig("AC" + new string('0', 32), "token", "+4930123456")), ChannelKind.Email));
        Assert.True(OutboundRoute.CanSendOn(new ClientConfig(Twilio: new TwilioConfig("AC" + new string('0', 32), "token", "+4930123456")), ChannelKind.Sms));
    }
}
