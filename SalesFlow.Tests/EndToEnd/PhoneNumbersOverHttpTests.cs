using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>Phone numbers read by libphonenumber against the running app (the demo client's calling code is 49).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PhoneNumbersOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string Digits(int from, int to) => Random.Shared.Next(from, to).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheLeadViewTellsTheCountryAndTimeZoneOfTheLeadsPhone()
    {
        var us = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+1 (415) " + Digits(200, 999) + "-" + Digits(1000, 9999), message = "Hello" });
        var german = await App.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+49170" + Digits(1000000, 9999999), message = "Hallo" });

        var usLead = await App.Http.GetJsonAsync($"/api/leads/{us.Str("leadId")}");
        var germanLead = await App.Http.GetJsonAsync($"/api/leads/{german.Str("leadId")}");

        Assert.Equal(("US", "America/Los_Angeles"), (usLead.Str("phoneCountry"), usLead.Str("phoneTimeZone")));
        Assert.Equal(("DE", "Europe/Berlin"), (germanLead.Str("phoneCountry"), germanLead.Str("phoneTimeZone")));
    }

    [Fact]
    public async Task ANumberWrittenWithTheGermanZeroInBracketsIsTheSameLeadAsItsWhatsAppNumber()
    {
        var subscriber = Digits(1000000, 9999999);
        var waId = "49170" + subscriber;
        await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hello there"), WhatsAppAppSecret))).JsonAsync();
        var first = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1);

        // How Germans write their number in a form: country code, then the trunk '0' in brackets.
        var typed = await App.Http.PostJsonAsync("/api/conversations", new { channel = "web", from = "+49 (0)170 " + subscriber, message = "It's me again, from the website" });

        Assert.Equal(first[0].Str("leadId"), typed.Str("leadId"));
    }

    [Fact]
    public async Task ATwilioMessageFromANumberNoCountryHasIsABadRequestNamingFromAndStoresNothing()
    {
        var from = "+1555" + Digits(2000000, 9999999); // 555 is no US area code
        using var response = await App.Http.SendAsync(Webhooks.SignedTwilio(App.BaseUrl, "demo", Webhooks.TwilioSms(from, "SM" + Guid.NewGuid().ToString("N"), "Hi"), TwilioAuthToken));

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.BadRequest, "from");
        Assert.DoesNotContain(await App.Http.OutboxAsync(), i => i.Str("recipient") == from);
    }

    [Fact]
    public async Task AChatStartedWithAnImpossibleNumberIsABadRequestNamingFrom()
    {
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/conversations", new { channel = "sms", from = "+49 170 123", message = "Hello" }), HttpStatusCode.BadRequest, "from");
    }

    [Theory]
    [InlineData("999")] // unassigned
    [InlineData("800")] // international freephone: no country to read a lead's national number in
    public async Task AClientWhoseCallingCodeNamesNoCountryIsABadRequest(string code)
    {
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var id = "phone-" + Guid.NewGuid().ToString("N")[..8];

        await ApiJson.AssertProblemAsync(await admin.PostAsJsonAsync("/api/admin/clients", new { id, name = "Nowhere", defaultCountryCode = code }), HttpStatusCode.BadRequest, "defaultCountryCode");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/admin/clients", new { id, name = "Somewhere", defaultCountryCode = "44" })).StatusCode);
    }
}
