using System.Text.Json.Nodes;
using SalesFlow.Core.Clients;

namespace SalesFlow.Tests.Clients;

public sealed class ClientConfigPatchTests
{
    private static (ClientConfig? Config, ConfigError? Error) Apply(ClientConfig current, string patch) =>
        ClientConfigPatch.Apply(current, JsonNode.Parse(patch));

    private static ClientConfig Configured() => Apply(ClientConfig.Empty, """
        {
          "whatsapp": { "phoneNumberId": "106540352242922", "accessToken": "EAAG-token-1234", "appSecret": "meta-secret-abcd",
                        "templates": { "followUp": { "name": "follow_up_1", "language": "de" } } },
          "twilio": { "accountSid": "AC0123456789abcdef0123456789abcdef", "authToken": "twilio-token-9z9z", "smsFrom": "+4915112345678" },
          "email": { "fromAddress": "sales@acme.example", "fromName": "Acme Sales", "webhookSecret": "parse-secret-7777" },
          "followUps": { "cadence": ["PT30S", "PT1H"] },
          "quietHours": { "start": "21:00", "end": "08:00", "weekends": true },
          "timeZone": "Europe/Berlin",
          "language": "de",
          "alerts": { "emails": ["ops@acme.example"], "onCallNumber": "+4915112345679" }
        }
        """).Config!;

    [Fact]
    public void AFullConfigIsAcceptedAndReadBackAsWritten()
    {
        var config = Configured();

        Assert.Equal("106540352242922", config.WhatsApp!.PhoneNumberId);
        Assert.Equal(new WhatsAppTemplate("follow_up_1", "de"), config.WhatsApp.Templates!["followUp"]);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)], config.FollowUps!.CadenceSteps());
        Assert.Equal(new QuietHoursConfig("21:00", "08:00", true), config.QuietHours);
        Assert.Equal("+4915112345679", config.Alerts!.OnCallNumber);
    }

    [Fact]
    public void AMergePatchChangesOnlyWhatItNamesAndNullRemovesAField()
    {
        var (patched, error) = Apply(Configured(), """{ "whatsapp": { "appSecret": "new-meta-secret", "accessToken": null }, "language": null }""");

        Assert.Null(error);
        Assert.Equal("new-meta-secret", patched!.WhatsApp!.AppSecret);
        Assert.Null(patched.WhatsApp.AccessToken);
        Assert.Equal("106540352242922", patched.WhatsApp.PhoneNumberId);
        Assert.Null(patched.Language);
        Assert.Equal("twilio-token-9z9z", patched.Twilio!.AuthToken);
    }

    [Fact]
    public void ArraysAreReplacedWhole()
    {
        var (patched, _) = Apply(Configured(), """{ "followUps": { "cadence": ["P1D"] } }""");

        Assert.Equal(["P1D"], patched!.FollowUps!.Cadence!);
    }

    [Theory]
    [InlineData("""{ "whatsapp": { "phoneNumberId": "not-digits" } }""", "whatsapp.phoneNumberId")]
    [InlineData("""{ "twilio": { "accountSid": "XX123" } }""", "twilio.accountSid")]
    [InlineData("""{ "twilio": { "smsFrom": "0151 1234" } }""", "twilio.smsFrom")]
    [InlineData("""{ "email": { "fromAddress": "not an address" } }""", "email.fromAddress")]
    [InlineData("""{ "followUps": { "cadence": ["PT1H", "tomorrow"] } }""", "followUps.cadence[1]")]
    [InlineData("""{ "followUps": { "cadence": [] } }""", "followUps.cadence")]
    [InlineData("""{ "followUps": { "cadence": ["P1D", "PT1H"] } }""", "followUps.cadence[1]")]
    [InlineData("""{ "quietHours": { "start": "25:00", "end": "08:00" } }""", "quietHours.start")]
    [InlineData("""{ "quietHours": { "start": "21:00" } }""", "quietHours.end")]
    [InlineData("""{ "timeZone": "Mars/Olympus" }""", "timeZone")]
    [InlineData("""{ "alerts": { "emails": ["ops@acme.example", "nope"] } }""", "alerts.emails[1]")]
    [InlineData("""{ "alerts": { "onCallNumber": "12345" } }""", "alerts.onCallNumber")]
    [InlineData("""{ "whatsapp": { "templates": { "followUp": { "name": "Follow Up", "language": "de" } } } }""", "whatsapp.templates.followUp.name")]
    [InlineData("""{ "whatsapp": { "appSecret": "••••abcd" } }""", "whatsapp.appSecret")]
    [InlineData("""{ "compliance": { "bannedPhrases": ["cheap", "x"] } }""", "compliance.bannedPhrases[1]")]
    [InlineData("""{ "compliance": { "bannedPhrases": ["ok phrase", "line\nbreak"] } }""", "compliance.bannedPhrases[1]")]
    [InlineData("""{ "compliance": { "aiDisclosure": "AI" } }""", "compliance.aiDisclosure")]
    public void AnInvalidValueIsRefusedNamingItsJsonPath(string patch, string field)
    {
        var (config, error) = Apply(ClientConfig.Empty, patch);

        Assert.Null(config);
        Assert.Equal(field, error!.Field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "whatsapp": { "phoneNumber": "1" } }""", "whatsapp.phoneNumber")]
    [InlineData("""{ "colour": "blue" }""", "colour")]
    [InlineData("""{ "quietHours": { "start": "21:00", "end": "08:00", "holidays": true } }""", "quietHours.holidays")]
    public void AnUnknownFieldIsRefusedByName(string patch, string field)
    {
        var (_, error) = Apply(ClientConfig.Empty, patch);

        Assert.Equal(field, error!.Field);
        Assert.Contains("Unknown field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueOfTheWrongTypeIsRefusedNamingItsPath()
    {
        var (_, error) = Apply(ClientConfig.Empty, """{ "quietHours": { "start": "21:00", "end": "08:00", "weekends": "yes" } }""");

        Assert.Equal("quietHours.weekends", error!.Field);
    }

    [Fact]
    public void ABodyThatIsNotAnObjectIsRefused()
    {
        Assert.NotNull(Apply(ClientConfig.Empty, "[1]").Error);
    }

    [Fact]
    public void MaskingShowsOnlyTheLastFourCharactersOfEachSecretAndKeepsTheRest()
    {
        var masked = Configured().MapSecrets(ClientConfig.Mask);

        Assert.Equal("••••1234", masked.WhatsApp!.AccessToken);
        Assert.Equal("••••abcd", masked.WhatsApp.AppSecret);
        Assert.Equal("••••9z9z", masked.Twilio!.AuthToken);
        Assert.Equal("••••7777", masked.Email!.WebhookSecret);
        Assert.Equal("106540352242922", masked.WhatsApp.PhoneNumberId);
        Assert.Equal("••••", ClientConfig.Mask("short"));
    }

    [Fact]
    public void ConfiguredWebhookSecretsWinOverTheGeneratedOnes()
    {
        var client = new Client("acme", "Acme", "hash", new ClientChannelSecrets("gen-app", "gen-verify", "gen-twilio", "gen-email"));
        Assert.Equal(client.Secrets, client.WebhookSecrets());

        var configured = client with { Config = Configured() };

        Assert.Equal(new ClientChannelSecrets("meta-secret-abcd", "gen-verify", "twilio-token-9z9z", "parse-secret-7777"), configured.WebhookSecrets());
    }

    [Fact]
    public void ARotatedOutKeyIsAcceptedOnlyUntilItsGracePeriodEnds()
    {
        var now = DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var client = new Client("acme", "Acme", "new", new ClientChannelSecrets("a", "b", "c", "d"), PreviousApiKeyHash: "old", PreviousApiKeyExpiresAt: now.AddHours(24));

        Assert.True(client.AcceptsApiKeyHash("new", now));
        Assert.True(client.AcceptsApiKeyHash("old", now.AddHours(23)));
        Assert.False(client.AcceptsApiKeyHash("old", now.AddHours(24)));
        Assert.False(client.AcceptsApiKeyHash("other", now));
    }
}
