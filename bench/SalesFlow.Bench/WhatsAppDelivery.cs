using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Bench;

/// <summary>A WhatsApp Cloud API delivery of one text message in Meta's shape (as SalesFlow.Tests' Webhooks.WhatsAppText),
/// and its signed POST to the demo client's webhook: what every bench sends as a lead.</summary>
internal static class WhatsAppDelivery
{
    public const string PhoneNumberId = "106540352242922";

    public static byte[] Text(string waId, string wamid, string text, string profileName) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "102290129340398",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550783881", phone_number_id = PhoneNumberId },
                                contacts = new[] { new { profile = new { name = profileName }, wa_id = waId } },
                                messages = new[] { new { from = waId, id = wamid, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), type = "text", text = new { body = text } } },
                            },
                        },
                    },
                },
            },
        });

    public static HttpRequestMessage SignedPost(byte[] body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp/demo") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(MetaSignature.HeaderName, signature);
        return request;
    }
}
