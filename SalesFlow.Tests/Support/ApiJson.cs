using System.Net.Http.Json;
using System.Text.Json;

namespace SalesFlow.Tests.Support;

public static class ApiJson
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string url) => await (await http.GetAsync(url)).JsonAsync();

    public static async Task<JsonElement> PostJsonAsync(this HttpClient http, string url, object body) => await (await http.PostAsJsonAsync(url, body)).JsonAsync();

    public static async Task<JsonElement[]> OutboxAsync(this HttpClient http, string? leadId = null) =>
        (await http.GetJsonAsync("/api/outbox" + (leadId is null ? "" : "?leadId=" + Uri.EscapeDataString(leadId)))).GetProperty("items").EnumerateArray().ToArray();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
