using System.Text;
using System.Text.Json;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

public class WhatsAppWebhookParserTests
{
    private const string Vendor = "whatsapp";

    public static TheoryData<string, string> IndexCases()
    {
        var data = new TheoryData<string, string>();
        using var index = JsonDocument.Parse(WebhookFixtures.Bytes(Vendor, "INDEX.json"));
        foreach (var file in index.RootElement.EnumerateObject())
        {
            foreach (var @case in file.Value.EnumerateObject())
            {
                data.Add(file.Name, @case.Name);
            }
        }

        return data;
    }

    private static byte[] CaseBytes(string file, string caseName)
    {
        using var doc = JsonDocument.Parse(WebhookFixtures.Bytes(Vendor, file));
        return Encoding.UTF8.GetBytes(doc.RootElement.GetProperty(caseName).GetRawText());
    }

    private static WebhookBatch ParseCase(string file, string caseName) => WhatsAppWebhookParser.Parse(CaseBytes(file, caseName));

    private static InboundMessage SingleMessage(string file, string caseName)
    {
        var batch = ParseCase(file, caseName);
        Assert.Empty(batch.Statuses);
        return Assert.Single(batch.Messages);
    }

    [Theory]
    [MemberData(nameof(IndexCases))]
    public void EveryIndexedCaseYieldsTheIndexedTypesAndStatuses(string file, string caseName)
    {
        using var index = JsonDocument.Parse(WebhookFixtures.Bytes(Vendor, "INDEX.json"));
        var expected = index.RootElement.GetProperty(file).GetProperty(caseName);
        var expectedKinds = expected.GetProperty("message_types_or_statuses").EnumerateArray().Select(e => e.GetString()!).Order().ToList();

        var batch = ParseCase(file, caseName);

        var actual = batch.Messages.Select(m => m.Kind).Concat(batch.Statuses.Select(s => s.Status)).Order().ToList();
        Assert.Equal(expectedKinds, actual);
        if (expected.GetProperty("has_errors").GetBoolean())
        {
            Assert.True(
                batch.Messages.Any(m => m.Metadata?.ContainsKey("error") == true) || batch.Statuses.Any(s => s.Error is not null),
                "the indexed error must surface on a message or a status");
        }
        else
        {
            Assert.All(batch.Statuses, s => Assert.Null(s.Error));
        }

        Assert.All(batch.Messages, m =>
        {
            Assert.Equal(ChannelKind.WhatsApp, m.Channel);
            Assert.False(string.IsNullOrWhiteSpace(m.ProviderMessageId));
            Assert.False(string.IsNullOrWhiteSpace(m.Text));
            Assert.True(m.Timestamp > new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        });
    }

    [Fact]
    public void IndexCoversEveryFixtureFile()
    {
        using var index = JsonDocument.Parse(WebhookFixtures.Bytes(Vendor, "INDEX.json"));
        var indexed = index.RootElement.EnumerateObject().Select(p => p.Name).Order().ToList();
        var files = Directory.GetFiles(Path.GetDirectoryName(WebhookFixtures.PathOf(Vendor, "INDEX.json"))!, "pywa_*.json")
            .Select(f => Path.GetFileName(f)!).Order().ToList();
        Assert.Equal(files, indexed);
        Assert.Equal(45, IndexCases().Count);
    }

    [Fact]
    public void TextMessageIsAnsweredWithSenderNameAndBusinessNumber()
    {
        var message = SingleMessage("pywa_message.json", "text");

        Assert.Equal("wamid.xyzxyz", message.ProviderMessageId);
        Assert.Equal("972987654321", message.From);
        Assert.Equal("Test Name", message.FromName);
        Assert.Equal("972123456789", message.To);
        Assert.Equal("Body Text", message.Text);
        Assert.Equal("text", message.Kind);
        Assert.True(message.Answerable);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1697043223), message.Timestamp);
        Assert.Equal("1122334455667", message.Metadata!["phone_number_id"]);
    }

    [Fact]
    public void ReplyKeepsTheQuotedMessageIdAndReferralKeepsTheAd()
    {
        var reply = SingleMessage("pywa_message.json", "reply");
        Assert.Equal("replied text", reply.Text);
        Assert.Equal("wamid.xyzxyz==", reply.Metadata!["reply_to_message_id"]);

        var referral = SingleMessage("pywa_message.json", "referral");
        Assert.Equal("BODY", referral.Text);
        Assert.Equal("CTWA_CLID", referral.Metadata!["referral_ctwa_clid"]);
        Assert.Equal("AD_TITLE", referral.Metadata["referral_headline"]);
    }

    [Fact]
    public void CaptionlessImageIsAnsweredWithADescriptionAndKeepsTheMediaId()
    {
        var message = SingleMessage("pywa_message.json", "image");

        Assert.Equal("image", message.Kind);
        Assert.Equal("[image]", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("65463453", message.Metadata!["media_id"]);
        Assert.Equal("image/jpeg", message.Metadata["mime_type"]);
        Assert.False(message.Metadata.ContainsKey("media_url"));

        var withUrl = SingleMessage("pywa_message.json", "media_with_url");
        Assert.StartsWith("https://lookaside.fbsbx.com/", withUrl.Metadata!["media_url"]);
    }

    [Fact]
    public void VideoCaptionIsTheText()
    {
        var message = SingleMessage("pywa_message.json", "video");

        Assert.Equal("video", message.Kind);
        Assert.Equal("caption", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("765756756", message.Metadata!["media_id"]);
        Assert.Equal("video/mp4", message.Metadata["mime_type"]);
        Assert.Equal("true", message.Metadata["forwarded"]);
    }

    [Fact]
    public void DocumentKeepsCaptionAndFileName()
    {
        var message = SingleMessage("pywa_message.json", "document");

        Assert.Equal("document", message.Kind);
        Assert.Equal("caption", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("filename.pdf", message.Metadata!["filename"]);
        Assert.Equal("application/pdf", message.Metadata["mime_type"]);
    }

    [Fact]
    public void AudioAndVoiceNotesAreAnsweredWithDistinctDescriptions()
    {
        var audio = SingleMessage("pywa_message.json", "audio");
        var voice = SingleMessage("pywa_message.json", "voice");

        Assert.Equal("audio", audio.Kind);
        Assert.Equal("[audio]", audio.Text);
        Assert.True(audio.Answerable);
        Assert.Equal("audio/ogg; codecs=opus", audio.Metadata!["mime_type"]);
        Assert.False(audio.Metadata.ContainsKey("voice"));

        Assert.Equal("audio", voice.Kind);
        Assert.Equal("[voice message]", voice.Text);
        Assert.True(voice.Answerable);
        Assert.Equal("true", voice.Metadata!["voice"]);
    }

    [Theory]
    [InlineData("static_sticker", false)]
    [InlineData("animated_sticker", true)]
    public void StickersAreStoredButNotAnswered(string caseName, bool animated)
    {
        var message = SingleMessage("pywa_message.json", caseName);

        Assert.Equal("sticker", message.Kind);
        Assert.Equal("[sticker]", message.Text);
        Assert.False(message.Answerable);
        Assert.Equal("image/webp", message.Metadata!["mime_type"]);
        Assert.Equal(animated, message.Metadata.ContainsKey("animated"));
    }

    [Fact]
    public void ChosenLocationHasNameAddressAndCoordinates()
    {
        var message = SingleMessage("pywa_message.json", "chosen_location");

        Assert.Equal("location", message.Kind);
        Assert.Equal("[location] Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025 37.4611978,-122.2164385", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("37.4611978", message.Metadata!["latitude"]);
        Assert.Equal("-122.2164385", message.Metadata["longitude"]);
    }

    [Fact]
    public void CurrentLocationHasOnlyCoordinates()
    {
        var message = SingleMessage("pywa_message.json", "current_location");

        Assert.Equal("[location] 12.25089,43.90539", message.Text);
        Assert.Equal("12.25089", message.Metadata!["latitude"]);
        Assert.Equal("43.90539", message.Metadata["longitude"]);
    }

    [Fact]
    public void ContactsListTheSharedNames()
    {
        var message = SingleMessage("pywa_message.json", "contacts");

        Assert.Equal("[contacts] Chandler Bing, Monica, Rachel Green", message.Text);
        Assert.Contains("+1 555-555-5555", message.Metadata!["contacts"]);
        Assert.True(message.Answerable);
    }

    [Fact]
    public void ReactionIsNotAnsweredAndKeepsEmojiAndTarget()
    {
        var message = SingleMessage("pywa_message.json", "reaction");

        Assert.Equal("reaction", message.Kind);
        Assert.False(message.Answerable);
        Assert.Equal("\U0001F62E", message.Metadata!["emoji"]);
        Assert.Equal("wamid.yzxyzx=", message.Metadata["reacted_message_id"]);
    }

    [Theory]
    [InlineData("unreaction_empty")]
    [InlineData("unreaction_no_emoji")]
    public void RemovedReactionHasNoEmoji(string caseName)
    {
        var message = SingleMessage("pywa_message.json", caseName);

        Assert.Equal("reaction", message.Kind);
        Assert.Equal("[reaction removed]", message.Text);
        Assert.False(message.Answerable);
        Assert.False(message.Metadata!.ContainsKey("emoji"));
        Assert.Equal("wamid.yzxyzx=", message.Metadata["reacted_message_id"]);
    }

    [Fact]
    public void OrderIsAnsweredAndListsItems()
    {
        var message = SingleMessage("pywa_message.json", "order");

        Assert.Equal("order", message.Kind);
        Assert.True(message.Answerable);
        Assert.Equal("[order] 3 x HAMBURGER @ 30 ILS, 2 x FRENCH_FRIES @ 35 ILS, 2 x SODA @ 10 ILS", message.Text);
        Assert.Equal("354160437058781", message.Metadata!["catalog_id"]);
    }

    [Theory]
    [InlineData("unsupported", null)]
    [InlineData("unsupported_with_type", "pool")]
    public void UnsupportedIsStoredNotAnswered(string caseName, string? originalType)
    {
        var message = SingleMessage("pywa_message.json", caseName);

        Assert.Equal("unsupported", message.Kind);
        Assert.Equal("[unsupported]", message.Text);
        Assert.False(message.Answerable);
        Assert.Equal("Message type unknown; Message type is currently not supported. (code 131051)", message.Metadata!["error"]);
        Assert.Equal(originalType, message.Metadata.GetValueOrDefault("original_type"));
    }

    [Fact]
    public void InteractiveWithoutPayloadAndValueErrorIsNotAnswered()
    {
        var message = SingleMessage("pywa_message.json", "interactive_message_with_err");

        Assert.Equal("interactive", message.Kind);
        Assert.False(message.Answerable);
        Assert.Contains("Unsupported webhook payload", message.Metadata!["error"]);
    }

    [Fact]
    public void ButtonReplyIsAnsweredWithItsTitle()
    {
        var message = SingleMessage("pywa_callback_button.json", "button");

        Assert.Equal("interactive", message.Kind);
        Assert.Equal("title", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("callback_data", message.Metadata!["reply_id"]);
        Assert.Equal("button_reply", message.Metadata["interactive_type"]);
    }

    [Theory]
    [InlineData("quick_reply", "wamid.xsidjw")]
    [InlineData("quick_reply_without_context", "wamid.xsidjx")]
    public void TemplateQuickReplyIsAnsweredWithTheButtonText(string caseName, string id)
    {
        var message = SingleMessage("pywa_callback_button.json", caseName);

        Assert.Equal(id, message.ProviderMessageId);
        Assert.Equal("button", message.Kind);
        Assert.Equal("title", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("callback_data", message.Metadata!["button_payload"]);
    }

    [Theory]
    [InlineData("callback", "title")]
    [InlineData("description", "title - description")]
    public void ListReplyIsAnsweredWithTitleAndDescription(string caseName, string text)
    {
        var message = SingleMessage("pywa_callback_selection.json", caseName);

        Assert.Equal("interactive", message.Kind);
        Assert.Equal(text, message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("list_reply", message.Metadata!["interactive_type"]);
    }

    [Fact]
    public void FlowCompletionCarriesTheAnswersAndToken()
    {
        var message = SingleMessage("pywa_flow_completion.json", "completion");

        Assert.True(message.Answerable);
        Assert.StartsWith("[form] comment_text: Comment Text, delivery_rating: 4", message.Text);
        Assert.DoesNotContain("flow_token", message.Text);
        Assert.Equal("AQAAAAACS5FpgQ_cAAAAAD0QI3s.", message.Metadata!["flow_token"]);
    }

    [Fact]
    public void SystemNoticeIsNotAnswered()
    {
        var message = SingleMessage("pywa_system.json", "phone_number_change");

        Assert.Equal("system", message.Kind);
        Assert.Equal("User A changed from 972987654321 to 972912345678", message.Text);
        Assert.False(message.Answerable);
        Assert.Equal("user_changed_number", message.Metadata!["system_type"]);
        Assert.Equal("972912345678", message.Metadata["new_wa_id"]);
        Assert.Null(message.FromName);
    }

    [Fact]
    public void EditIsStoredWithTheNewCaptionAndNotAnswered()
    {
        var message = SingleMessage("pywa_edited_message.json", "image");

        Assert.Equal("edit", message.Kind);
        Assert.Equal("Updated image caption", message.Text);
        Assert.False(message.Answerable);
        Assert.Equal("wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=", message.Metadata!["original_message_id"]);
        Assert.Equal("image", message.Metadata["edited_type"]);
    }

    [Fact]
    public void RevokeIsStoredNotAnswered()
    {
        var message = SingleMessage("pywa_deleted_message.json", "revoke");

        Assert.Equal("revoke", message.Kind);
        Assert.False(message.Answerable);
        Assert.Equal("<ORIGINAL_WHATSAPP_MESSAGE_ID>", message.Metadata!["original_message_id"]);
    }

    [Theory]
    [InlineData("sent", "sent", 1698266945)]
    [InlineData("delivered", "delivered", 1698266945)]
    [InlineData("read", "read", 1689380458)]
    [InlineData("played", "played", 1689380458)]
    public void StatusesBecomeDeliveryUpdates(string caseName, string status, long unix)
    {
        var batch = ParseCase("pywa_message_status.json", caseName);

        Assert.Empty(batch.Messages);
        var update = Assert.Single(batch.Statuses);
        Assert.Equal(ChannelKind.WhatsApp, update.Channel);
        Assert.Equal("wamid.xyzxyz", update.ProviderMessageId);
        Assert.Equal(status, update.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(unix), update.Timestamp);
        Assert.Null(update.Error);
    }

    [Fact]
    public void FailedStatusCarriesTheErrorText()
    {
        var update = Assert.Single(ParseCase("pywa_message_status.json", "failed").Statuses);

        Assert.Equal("failed", update.Status);
        Assert.Equal(
            "User's number is part of an experiment; Failed to send message because this user's phone number is part of an experiment (code 130472)",
            update.Error);
    }

    [Theory]
    [InlineData("pywa_template_status_update.json", "approved")]
    [InlineData("pywa_template_status_update.json", "rejected")]
    [InlineData("pywa_user_marketing_preferences.json", "resume")]
    [InlineData("pywa_user_marketing_preferences.json", "signup")]
    public void OtherFieldsAreIgnored(string file, string caseName)
    {
        var batch = ParseCase(file, caseName);

        Assert.Empty(batch.Messages);
        Assert.Empty(batch.Statuses);
    }

    [Fact]
    public void SeveralMessagesAndStatusesInOneDeliveryAreAllKept()
    {
        var json = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"15550001111","phone_number_id":"99"},
                "contacts":[{"profile":{"name":"Ann"},"wa_id":"111"},{"profile":{"name":"Bob"},"wa_id":"222"}],
                "messages":[{"from":"111","id":"wamid.a","timestamp":"1700000000","type":"text","text":{"body":"hi"}},
                            {"from":"222","id":"wamid.b","timestamp":"1700000001","type":"text","text":{"body":"hello"}}]}}]},
              {"id":"2","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.c","status":"delivered","timestamp":1700000002}]}}]}]}
            """;

        var batch = WhatsAppWebhookParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(["Ann", "Bob"], batch.Messages.Select(m => m.FromName));
        Assert.Equal(["hi", "hello"], batch.Messages.Select(m => m.Text));
        Assert.Equal("wamid.c", Assert.Single(batch.Statuses).ProviderMessageId);
    }

    [Fact]
    public void UnknownMessageTypeIsUnsupported()
    {
        var json = """
            {"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{
              "messages":[{"from":"111","id":"wamid.z","timestamp":"1700000000","type":"request_welcome"}]}}]}]}
            """;

        var message = Assert.Single(WhatsAppWebhookParser.Parse(Encoding.UTF8.GetBytes(json)).Messages);

        Assert.Equal("unsupported", message.Kind);
        Assert.False(message.Answerable);
        Assert.Equal("request_welcome", message.Metadata!["original_type"]);
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[]} trailing", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"entry\":[]}", "object")]
    [InlineData("{\"object\":\"page\",\"entry\":[]}", "object")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}", "entry")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{\"id\":\"x\",\"timestamp\":\"1\"}]}}]}]}", "messages[].from")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"statuses\":[{\"id\":\"x\",\"timestamp\":\"1\"}]}}]}]}", "statuses[].status")]
    public void MalformedBodiesThrowWebhookFormatExceptionNamingTheField(string body, string field)
    {
        var ex = Assert.Throws<WebhookFormatException>(() => WhatsAppWebhookParser.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void EmptyEntryListIsAnEmptyBatch()
    {
        var batch = WhatsAppWebhookParser.Parse("""{"object":"whatsapp_business_account","entry":[]}"""u8);

        Assert.Same(WebhookBatch.Empty, batch);
    }
}
