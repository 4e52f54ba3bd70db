using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Support;

/// <summary>
/// Rounds of kill -9 against the real process (<see cref="SalesFlowAppProcess"/>: SQLite, embedded queue) with an in-test
/// Graph API server: WhatsApp traffic, a kill at a seeded random moment, a restart on the same data folder, and Meta's
/// redelivery of every webhook that was not answered 200. The checks are the issue's: every acknowledged message answered
/// exactly once, no outbox id sent twice to the vendor, every due follow-up sent exactly once.
/// </summary>
public sealed class KillRounds : IAsyncDisposable
{
    private const string PhoneNumberId = "106540352242922"; // the phone_number_id in the webhooks' metadata
    private const string AccessToken = "EAAG-kill-rounds-access-token-7e7e";

    /// <summary>The shortest lease DeliveryOptions accepts: a send cut off by the kill is judged in doubt soon.</summary>
    private const string ShortestSendingLease = "00:00:10";

    /// <summary>Where an item may end: sent (or later), or in doubt after its cut-off send. Never pending or failed.</summary>
    private static readonly string[] Settled = ["sent", "delivered", "read", "in_doubt"];

    private readonly List<Webhook> _webhooks = [];

    private KillRounds(WhatsAppGraphServer graph, SalesFlowAppProcess app, int seed)
    {
        Graph = graph;
        App = app;
        Seed = seed;
        Random = new Random(seed);
    }

    /// <summary>One signed WhatsApp delivery of one lead's message, and whether the app answered it 200.</summary>
    public sealed class Webhook(string waId, byte[] body)
    {
        public string WaId { get; } = waId;

        public byte[] Body { get; } = body;

        public bool Acknowledged { get; set; }
    }

    public WhatsAppGraphServer Graph { get; }

    public SalesFlowAppProcess App { get; }

    public int Seed { get; }

    /// <summary>Seeded: a failing run is rerun with SALESFLOW_FAULT_SEED set to its seed.</summary>
    public Random Random { get; }

    public int Kills { get; private set; }

    /// <summary>Webhooks sent again after a restart because the app had not answered them 200.</summary>
    public int Redelivered { get; private set; }

    public int Acknowledged => _webhooks.Count(w => w.Acknowledged);

    public IEnumerable<string> Leads => _webhooks.Select(w => w.WaId);

    /// <summary>SALESFLOW_FAULT_ROUNDS runs more rounds than the suite's default (docs/reliability.md).</summary>
    public static int Rounds(int byDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("SALESFLOW_FAULT_ROUNDS"), CultureInfo.InvariantCulture, out var rounds) && rounds > 0 ? rounds : byDefault;

    public static async Task<KillRounds> StartAsync(Dictionary<string, string> settings)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SALESFLOW_FAULT_SEED"), CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        var environment = new Dictionary<string, string>(settings)
        {
            ["WhatsApp__GraphBaseUrl"] = graph.BaseUrlSetting,
            ["WhatsApp__GraphVersion"] = "v23.0",
            ["Delivery__SendingLease"] = ShortestSendingLease,
        };
        var app = await SalesFlowAppProcess.StartAsync(environment);
        using var response = await app.Http.PatchAsync(
            "/api/clients/demo/config",
            new StringContent($$"""{ "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{AccessToken}}" } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return new KillRounds(graph, app, seed);
    }

    /// <summary>New leads' first messages, one webhook each.</summary>
    public IReadOnlyList<Webhook> NewWebhooks(int count, string text)
    {
        var webhooks = Enumerable.Range(0, count).Select(_ =>
        {
            var waId = "4917" + Random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
            return new Webhook(waId, Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), text));
        }).ToArray();
        _webhooks.AddRange(webhooks);
        return webhooks;
    }

    /// <summary>Posts each webhook after a random delay within <paramref name="spreadMs"/>; a kill may cut any of them off.</summary>
    public Task PostAsync(IReadOnlyList<Webhook> webhooks, int spreadMs)
    {
        var delays = webhooks.Select(_ => spreadMs > 0 ? Random.Next(0, spreadMs) : 0).ToArray();
        return Task.WhenAll(webhooks.Zip(delays).Select(async pair =>
        {
            await Task.Delay(pair.Second);
            pair.First.Acknowledged = await TryPostAsync(pair.First);
        }));
    }

    /// <summary>kill -9, let the posts the kill cut off end, restart on the same data folder, then redeliver as Meta does.</summary>
    public async Task KillAndRestartAsync(Task posting)
    {
        await App.KillAsync();
        Kills++;
        await posting;
        await App.RestartAsync();
        foreach (var webhook in _webhooks.Where(w => !w.Acknowledged))
        {
            Redelivered++;
            webhook.Acknowledged = await TryPostAsync(webhook);
            Assert.True(webhook.Acknowledged, $"the restarted app refused a redelivered webhook of {webhook.WaId}");
        }
    }

    private async Task<bool> TryPostAsync(Webhook webhook)
    {
        try
        {
            using var response = await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", webhook.Body, SalesFlowAppProcess.WhatsAppAppSecret));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // the kill cut the request off, or no app listened
        }
    }

    /// <summary>Every outbox item of the demo client, page by page (newest first).</summary>
    public async Task<JsonElement[]> OutboxAsync()
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await App.Http.GetJsonAsync("/api/outbox?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return [.. items];
    }

    /// <summary>
    /// Waits until every lead has <paramref name="perLead"/> items of each purpose and every item is settled, then a little
    /// longer (a late second send or a late duplicate item would show within it), and checks exactly once.
    /// </summary>
    /// <returns>What the run did, for the test's output and docs/reliability.md.</returns>
    public async Task<string> AssertSettledExactlyOnceAsync(IReadOnlyDictionary<string, int> perLead, TimeSpan timeout)
    {
        await Eventually.ReturnsAsync(
            OutboxAsync,
            items => items.All(i => Settled.Contains(i.Str("status")))
                && perLead.All(p => items.Count(i => i.Str("purpose") == p.Key) >= p.Value * _webhooks.Count),
            timeout,
            "every reply and follow-up is sent, or in doubt once its cut-off send's lease runs out (none pending or failed)\n" + App.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var items = await OutboxAsync();
        var summary = Summary(items);
        AssertExactlyOnce(items, perLead, summary);
        return summary;
    }

    /// <summary>The vendor's send calls per outbox id (our sends attach it as biz_opaque_callback_data).</summary>
    public Dictionary<string, int> SendsPerOutboxId() =>
        Graph.Sends.GroupBy(s => s.Json?["biz_opaque_callback_data"]?.GetValue<string>() ?? "(none)").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Each lead has exactly <paramref name="perLead"/> items of each purpose; no item reached the vendor twice; each
    /// item reached it once, except one cut off by the kill between the record of its vendor call and the request leaving
    /// the process: that one is in doubt with the operator's resend named (no vendor takes an idempotency key, so a crash
    /// there cannot tell "never sent" from "sent"; SalesFlow does not resend blindly). A kill between the claim and that
    /// record is sent again once the claim runs out. Counted in the summary as "in doubt, never sent".</summary>
    private void AssertExactlyOnce(JsonElement[] items, IReadOnlyDictionary<string, int> perLead, string summary)
    {
        foreach (var (purpose, count) in perLead)
        {
            Assert.All(_webhooks, w => Assert.True(
                count == items.Count(i => i.Str("recipient") == "+" + w.WaId && i.Str("purpose") == purpose),
                $"{w.WaId} has not exactly {count} {purpose} ({summary})"));
        }

        Assert.True(perLead.Values.Sum() * _webhooks.Count == items.Length, $"{items.Length} outbox items ({summary})");
        var sends = SendsPerOutboxId();
        Assert.All(sends, s => Assert.True(s.Value == 1, $"{s.Key} was sent {s.Value} times"));
        Assert.All(sends.Keys, id => Assert.Contains(items, i => i.Str("id") == id));
        Assert.All(items.Where(i => !sends.ContainsKey(i.Str("id"))), i => Assert.True(
            i.Str("status") == "in_doubt" && i.Str("error").Contains("/resend", StringComparison.Ordinal),
            $"{i.Str("purpose")} {i.Str("id")} ({i.Str("status")}) never reached the vendor and is not in doubt for an operator"));
    }

    private string Summary(JsonElement[] items) =>
        $"seed {Seed}: {Kills} kills, {_webhooks.Count} leads, {Acknowledged} webhooks acknowledged ({Redelivered} after a redelivery), "
        + $"{items.Length} outbox items ({string.Join(", ", items.GroupBy(i => i.Str("purpose")).Select(g => $"{g.Count()} {g.Key}"))}), "
        + $"{Graph.Sends.Count} vendor sends, {items.Count(i => i.Str("status") == "in_doubt")} in doubt ({items.Count(i => i.Str("status") == "in_doubt" && !SendsPerOutboxId().ContainsKey(i.Str("id")))} in doubt, never sent)";

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
