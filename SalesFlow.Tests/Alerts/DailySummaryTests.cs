using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Alerts;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Queue;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Alerts;

/// <summary>
/// The daily summary's schedule and content: from 08:00 local, once per client and local day, on a stepped clock
/// (starting 2026-01-01 00:00 UTC) and a real SQLite outbox.
/// </summary>
public sealed class DailySummaryTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly SqliteOutboxStore _outbox;
    private readonly SteppedClock _clock = new();
    private readonly Mock<IActivityReport> _report = new();
    private readonly Mock<IClientStore> _clients = new();
    private readonly Mock<IUsageStore> _usage = new();
    private readonly Mock<IMeetingStore> _meetings = new();
    private readonly Mock<IWorkQueue> _queue = new();
    private readonly List<string> _clientIds = [];

    public DailySummaryTests()
    {
        _outbox = new SqliteOutboxStore(_temp.Db);
        _report.Setup(r => r.ListClientIdsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => _clientIds.ToList());
        _report.Setup(r => r.CountAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ActivityCounts(NewLeads: 12, HotLeads: 3, Escalations: 1, OptOuts: 2, RepliesSent: 40));
        _meetings.Setup(m => m.CountBookedAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(2);
        _usage.Setup(u => u.ReportAsync(It.IsAny<string>(), null, It.IsAny<DateTimeOffset?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string clientId, string? _, DateTimeOffset? from, DateTimeOffset? to, CancellationToken _) =>
                UsageReport.Build(clientId, null, from, to, [("gpt-4o-mini", AiPurpose.Reply, "lead_1", new UsageTotals(10, 1000, 500, 1.234m))]));
    }

    public void Dispose() => _temp.Dispose();

    private DailySummaryService Service() =>
        new(_report.Object, _clients.Object, _usage.Object, _meetings.Object, _outbox, new StaffOutbox(_outbox, _queue.Object), _clock, NullLogger<DailySummaryService>.Instance);

    private void AddClient(string id, string? timeZone, IReadOnlyList<string>? emails, string? language = null)
    {
        _clientIds.Add(id);
        _clients.Setup(c => c.GetAsync(id, It.IsAny<CancellationToken>())).ReturnsAsync(
            new Client(id, $"Client {id}", "hash-" + id, new ClientChannelSecrets("a", "b", "c", "d"), Config: new ClientConfig(TimeZone: timeZone, Language: language, Alerts: emails is null ? null : new AlertsConfig(emails))));
    }

    private async Task<IReadOnlyList<OutboxItem>> SummariesAsync(string clientId) =>
        (await _outbox.ListPageAsync(clientId, null, null, null, 100, default)).Items.Where(i => i.Purpose == OutboxPurpose.DailySummary).ToList();

    /// <summary>Moves the clock to <paramref name="utc"/> (later than now) and runs the timer once.</summary>
    private async Task<int> RunAtAsync(DateTimeOffset utc)
    {
        _clock.Advance(utc - _clock.GetUtcNow());
        return await Service().RunAsync(default);
    }

    private static DateTimeOffset Utc(int day, int hour, int minute) => new(2026, 1, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task Nothing_before_eight_one_summary_at_five_past_none_again_at_twenty_past_and_one_the_next_day()
    {
        AddClient("acme", "Europe/Berlin", ["sales@acme.example"]); // UTC+1 in January

        Assert.Equal(0, await RunAtAsync(Utc(1, 6, 50))); // 07:50 in Berlin
        Assert.Empty(await SummariesAsync("acme"));

        Assert.Equal(1, await RunAtAsync(Utc(1, 7, 5))); // 08:05
        Assert.Single(await SummariesAsync("acme"));

        Assert.Equal(0, await RunAtAsync(Utc(1, 7, 20))); // 08:20
        Assert.Single(await SummariesAsync("acme"));

        Assert.Equal(0, await RunAtAsync(Utc(2, 6, 50))); // the next day, 07:50
        Assert.Equal(1, await RunAtAsync(Utc(2, 7, 5)));
        var summaries = await SummariesAsync("acme");
        Assert.Equal(["summary/acme/2026-01-01/sales@acme.example", "summary/acme/2026-01-02/sales@acme.example"], summaries.Select(s => s.IdempotencyKey).Order());

        // Each covers the previous local day, midnight to midnight in Berlin.
        _report.Verify(r => r.CountAsync("acme", Utc(1, 0, 0).AddHours(-1) - TimeSpan.FromDays(1), Utc(1, 0, 0).AddHours(-1), It.IsAny<CancellationToken>()), Times.Once());
        _report.Verify(r => r.CountAsync("acme", Utc(1, 0, 0).AddHours(-1), Utc(2, 0, 0).AddHours(-1), It.IsAny<CancellationToken>()), Times.Once());
        _meetings.Verify(m => m.CountBookedAsync("acme", Utc(1, 0, 0).AddHours(-1), Utc(2, 0, 0).AddHours(-1), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Each_client_gets_its_summary_at_eight_in_its_own_time_zone()
    {
        AddClient("berlin", "Europe/Berlin", ["a@berlin.example"]);
        AddClient("london", null, ["a@london.example"]); // no zone configured: the client's own (UTC)
        AddClient("newyork", "America/New_York", ["a@newyork.example"]); // UTC-5 in January
        AddClient("tokyo", "Asia/Tokyo", ["a@tokyo.example"]); // UTC+9: already 16:05 on 1 January at the first run

        await RunAtAsync(Utc(1, 7, 5));
        Assert.Equal((1, 0, 0, 1), (await CountAsync("berlin"), await CountAsync("london"), await CountAsync("newyork"), await CountAsync("tokyo")));

        await RunAtAsync(Utc(1, 8, 5));
        Assert.Equal((1, 1, 0, 1), (await CountAsync("berlin"), await CountAsync("london"), await CountAsync("newyork"), await CountAsync("tokyo")));

        await RunAtAsync(Utc(1, 13, 5));
        Assert.Equal((1, 1, 1, 1), (await CountAsync("berlin"), await CountAsync("london"), await CountAsync("newyork"), await CountAsync("tokyo")));

        await RunAtAsync(Utc(1, 22, 50)); // Tokyo: 2 January, 07:50
        Assert.Equal(1, await CountAsync("tokyo"));
        await RunAtAsync(Utc(1, 23, 5)); // Tokyo: 2 January, 08:05
        Assert.Equal((1, 1, 1, 2), (await CountAsync("berlin"), await CountAsync("london"), await CountAsync("newyork"), await CountAsync("tokyo")));
        Assert.Equal(["summary/tokyo/2026-01-01/a@tokyo.example", "summary/tokyo/2026-01-02/a@tokyo.example"], (await SummariesAsync("tokyo")).Select(s => s.IdempotencyKey).Order());
    }

    private async Task<int> CountAsync(string clientId) => (await SummariesAsync(clientId)).Count;

    [Fact]
    public async Task A_missed_eight_oclock_is_made_up_later_that_day_once()
    {
        AddClient("acme", "Europe/Berlin", ["sales@acme.example", "boss@acme.example"]);

        Assert.Equal(1, await RunAtAsync(Utc(1, 14, 0))); // the app was down from before 08:00 until 15:00
        Assert.Equal(0, await RunAtAsync(Utc(1, 14, 15)));
        Assert.Equal(0, await Service().RunAsync(default)); // a second instance's run at the same moment

        Assert.Equal(["boss@acme.example", "sales@acme.example"], (await SummariesAsync("acme")).Select(s => s.Recipient).Order());
        _report.Verify(r => r.CountAsync("acme", It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task A_client_without_alert_addresses_gets_no_summary()
    {
        AddClient("quiet", "UTC", null);
        AddClient("empty", "UTC", []);

        Assert.Equal(0, await RunAtAsync(Utc(1, 9, 0)));
        Assert.Empty(await SummariesAsync("quiet"));
        Assert.Empty(await SummariesAsync("empty"));
        _report.Verify(r => r.CountAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task The_summary_names_each_figure_about_no_lead_in_text_and_html_in_the_clients_language()
    {
        AddClient("acme", "UTC", ["sales@acme.example"]);
        AddClient("gmbh", "Europe/Berlin", ["vertrieb@gmbh.example"], language: "de");

        await RunAtAsync(Utc(1, 9, 0));

        var english = Assert.Single(await SummariesAsync("acme"));
        Assert.Equal((OutboxItem.NoLead, OutboxItem.NoLead, ChannelKind.Email, OutboxStatus.Pending), (english.LeadId, english.ConversationId, english.Channel, english.Status));
        Assert.Equal("📊 Daily summary Client acme: Wednesday 31 December 2025", english.Thread!.Subject);
        foreach (var line in new[] { "New leads: 12", "Hot leads: 3", "Meetings booked: 2", "Replies sent: 40", "Escalations: 1", "Opt-outs: 2", "AI cost: 1.23 USD" })
        {
            Assert.Contains(line, english.Text, StringComparison.Ordinal);
        }

        Assert.Contains("Meetings booked</td><td style=\"padding:4px 0;font-weight:600\">2</td>", english.HtmlBody, StringComparison.Ordinal);
        _queue.Verify(q => q.EnqueueAsync(Queues.Deliver, It.IsAny<string>(), TimeSpan.Zero, DeliverWork.CoalesceKey(english.Id), It.IsAny<CancellationToken>()), Times.Once());

        var german = Assert.Single(await SummariesAsync("gmbh"));
        Assert.Equal("📊 Tagesbericht Client gmbh: Mittwoch, 31. Dezember 2025", german.Thread!.Subject);
        Assert.Contains("Gebuchte Termine: 2", german.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_midnight_on_a_day_a_clock_change_skips_it_is_the_first_valid_time()
    {
        // Chile (America/Santiago) springs forward at midnight: 2026-09-06 00:00 does not exist there.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var start = DailySummaryService.StartOf(new DateOnly(2026, 9, 6), zone);

        Assert.False(zone.IsInvalidTime(start.DateTime));
        Assert.Equal(new DateOnly(2026, 9, 6), DateOnly.FromDateTime(start.DateTime));
        Assert.Equal(DailySummaryService.StartOf(new DateOnly(2026, 9, 5), zone).AddHours(24), start);
    }
}
