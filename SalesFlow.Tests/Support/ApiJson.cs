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

    /// <summary>Bad input's answer: the status, an application/problem+json body, and the field it names.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, System.Net.HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"field\":\"{field}\"", body, StringComparison.Ordinal);
    }
}
