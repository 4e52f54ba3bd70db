using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The app's storage failing under it: its own SQLite file is made to refuse writes from a second connection
/// (triggers that abort the statement, the error a full or read-only disk gives a writer), then to take them again.
/// </summary>
public sealed class StorageFailureOverHttpTests
{
    [Fact]
    public async Task WorkersOutliveFailedWritesAndEveryStoredMessageIsAnsweredOnceAfterStorageRecovers()
    {
        await using var app = await SalesFlowAppProcess.StartAsync();
        using var anonymous = app.Anonymous();
        var senders = Enumerable.Range(0, 6).Select(i => "4917033" + Random.Shared.Next(10000, 99999) + i).ToList();

        await using (var outage = await WriteOutage.StartAsync(app.DataDir))
        {
            // Stored and acknowledged while the turns' writes (the reply, and the queue's own failure bookkeeping) fail.
            foreach (var waId in senders)
            {
                using var response = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.outage-" + waId, "Hi, what does your CRM cost?"), WhatsAppAppSecret));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // Every worker of the queue has hit the failure: before the fix each one died in its catch, on FailAsync.
            await Eventually.ReturnsAsync(() => Task.FromResult(CountOf(app.Output, "failed on try")), n => n >= 2, TimeSpan.FromSeconds(30), "both process-inbound workers tried a turn");
            Assert.Empty(await app.Http.OutboxAsync());
        }

        var items = await Eventually.ReturnsAsync(() => app.Http.OutboxAsync(), i => i.Length >= senders.Count, TimeSpan.FromSeconds(120), "every stored message answered after the recovery, without a restart");
        Assert.Equal(senders.Select(w => "+" + w).Order(), items.Select(i => i.Str("recipient")).Order());
        await Eventually.ReturnsAsync(async () => (await anonymous.GetAsync("/ready")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "ready again once writes succeed");
        Assert.Equal(senders.Count, (await app.Http.OutboxAsync()).Length);
    }

    [Fact]
    public async Task ReadyAnswers503WithTheReasonWhileWritesFailAnd200OnceTheySucceedAgain()
    {
        await using var app = await SalesFlowAppProcess.StartAsync();
        using var anonymous = app.Anonymous();
        var waId = "4917055" + Random.Shared.Next(100000, 999999);

        await using (await WriteOutage.StartAsync(app.DataDir))
        {
            using var accepted = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.ready-" + waId, "Hi, do you have a demo?"), WhatsAppAppSecret));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

            var notReady = await Eventually.ReturnsAsync(() => anonymous.GetAsync("/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "the turn's write failed");
            var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("unavailable", body.Str("status"));
            Assert.Contains(body.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("storage writes fail", StringComparison.Ordinal) && r.GetString()!.Contains("database or disk is full", StringComparison.Ordinal));
        }

        await Eventually.ReturnsAsync(async () => (await anonymous.GetAsync("/ready")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "ready again once writes succeed");
        Assert.Single(await Eventually.ReturnsAsync(() => app.Http.OutboxAsync(), i => i.Length == 1));
    }

    [Fact]
    public async Task HealthShowsEachQueuesLengthAndTheAgeOfItsOldestItem()
    {
        // A long burst window keeps the turn waiting in the queue.
        await using var app = await SalesFlowAppProcess.StartAsync(new() { ["Conversation__BurstWindow"] = "00:00:50" });
        using var anonymous = app.Anonymous();
        var waId = "4917044" + Random.Shared.Next(100000, 999999);
        using var response = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.age-" + waId, "Hello?"), WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var health = await Eventually.ReturnsAsync(
            () => anonymous.GetJsonAsync("/health"),
            h => h.TryGetProperty("queues", out var q) && q.GetProperty("process-inbound").GetProperty("oldestAgeSeconds") is { ValueKind: JsonValueKind.Number } age && age.GetDouble() > 0,
            because: "the waiting turn grows older");

        Assert.Equal("healthy", health.Str("status"));
        Assert.Equal(1, health.GetProperty("queues").GetProperty("process-inbound").GetProperty("length").GetInt32());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("queues").GetProperty("deliver").GetProperty("oldestAgeSeconds").ValueKind);
        Assert.Equal(0, health.GetProperty("queues").GetProperty("deliver").GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task AnUnwritableDataFolderStopsTheStartWithOneLineNamingItAndTheSetting()
    {
        // Tests run as root, which ignores permission bits; a folder beneath a regular file cannot be created by anyone.
        var file = Path.GetTempFileName();
        try
        {
            var dataDir = Path.Combine(file, "data");

            var (exitCode, output) = await SalesFlowAppProcess.RunToExitAsync(dataDir);

            Assert.NotEqual(0, exitCode);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length == 1, "one line, not a dump:\n" + output);
            Assert.Contains(dataDir, lines[0], StringComparison.Ordinal);
            Assert.Contains("SALESFLOW_DATA_DIR", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnInvalidSettingStopsTheStartWithOneLineNamingIt()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "salesflow-e2e-" + Guid.NewGuid().ToString("N"));

        var (exitCode, output) = await SalesFlowAppProcess.RunToExitAsync(dataDir, new() { ["Conversation__BurstWindow"] = "00:02:00" });

        Assert.Equal(2, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "one line, not a dump:\n" + output);
        Assert.Contains("Conversation:BurstWindow", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.OrdinalIgnoreCase);
    }

    private static int CountOf(string text, string needle)
    {
        var count = 0;
        for (var at = text.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Makes the app's database refuse the writes a turn and its failure handling make (a reply into the outbox, the
    /// error recorded on the queue item) until disposed; intake's writes still succeed, as on a disk with a little room.
    /// </summary>
    private sealed class WriteOutage : IAsyncDisposable
    {
        private readonly SqliteConnection _db;

        private WriteOutage(SqliteConnection db) => _db = db;

        public static async Task<WriteOutage> StartAsync(string dataDir)
        {
            var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "salesflow.db")};Pooling=False");
            await db.OpenAsync();
            await ExecAsync(db, """
                PRAGMA busy_timeout=10000;
                CREATE TRIGGER outage_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
                CREATE TRIGGER outage_jobs BEFORE UPDATE OF last_error ON jobs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
                """);
            return new WriteOutage(db);
        }

        public async ValueTask DisposeAsync()
        {
            await ExecAsync(_db, "DROP TRIGGER outage_outbox; DROP TRIGGER outage_jobs;");
            await _db.DisposeAsync();
        }

        private static async Task ExecAsync(SqliteConnection db, string sql)
        {
            await using var command = db.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
