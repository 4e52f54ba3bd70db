using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;

// Erasure beside intake on the embedded store: fills a database to --megabytes (default 100) with 2,000 leads' messages,
// then erases --erasures leads (default 10) one after another while an intake loop stores a message every few
// milliseconds, as webhooks do. Reports how long each erasure took and how long intake writes waited while one ran,
// beside intake writes with no erasure running. Only public APIs, so the same file runs against older code.
// Usage: dotnet run -c Release --project bench/SalesFlow.ErasureBench -- [--megabytes 100] [--erasures 10]
var megabytes = Arg("--megabytes", 100);
var erasures = Arg("--erasures", 10);
var now = DateTimeOffset.UtcNow;
var dir = Path.Combine(Path.GetTempPath(), "salesflow-erasure-bench-" + Guid.NewGuid().ToString("N"));
using var db = new SqliteDatabase(Path.Combine(dir, "salesflow.db"), new RuntimeHealth());
var leads = new SqliteLeadStore(db);
var conversations = new SqliteConversationStore(db);
var eraser = new SqliteLeadEraser(db, new SqliteMemoryIndex(db));
try
{
    var all = new List<Conversation>();
    for (var i = 0; i < 2000; i++)
    {
        var (lead, _) = await leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, $"+49170{i:D7}", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = now, UpdatedAt = now }, default);
        all.Add(await conversations.GetOrCreateForLeadAsync("acme", lead.Id, ChannelKind.WhatsApp, now, default));
    }

    var random = new Random(1);
    var text = new string('x', 400);
    while (new FileInfo(db.Path).Length + WalLength() < megabytes * 1024L * 1024L)
    {
        await using var connection = db.Open();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO messages (id, client_id, lead_id, conversation_id, direction, channel, kind, text, provider_message_id, answerable, metadata_json, created_at)
            VALUES ($id, 'acme', $l, $c, 'inbound', 'whatsapp', 'text', $t, NULL, 0, '{}', $at)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var leadId = insert.Parameters.Add("$l", SqliteType.Text);
        var conversationId = insert.Parameters.Add("$c", SqliteType.Text);
        var body = insert.Parameters.Add("$t", SqliteType.Text);
        insert.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
        for (var i = 0; i < 5000; i++)
        {
            var c = all[random.Next(all.Count)];
            (id.Value, leadId.Value, conversationId.Value, body.Value) = (Ids.New("msg"), c.LeadId, c.Id, $"message {i} of {c.LeadId} " + text);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    await using (var connection = db.Open())
    await using (var checkpoint = connection.CreateCommand())
    {
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync();
    }

    Console.WriteLine($"database: {new FileInfo(db.Path).Length / 1024.0 / 1024.0:F1} MB, 2,000 leads");

    // Intake: one message at a time into a random conversation, as a webhook stores it; each write's latency is kept.
    var writes = new List<(long Start, double Ms)>();
    using var stop = new CancellationTokenSource();
    var intake = Task.Run(async () =>
    {
        var r = new Random(2);
        while (!stop.IsCancellationRequested)
        {
            var c = all[r.Next(1000)]; // the first half is never erased
            var started = Stopwatch.GetTimestamp();
            await conversations.AddInboundAsync(new Message { Id = Ids.New("msg"), ClientId = "acme", LeadId = c.LeadId, ConversationId = c.Id, Direction = MessageDirection.Inbound, Channel = ChannelKind.WhatsApp, Text = "intake " + text, Metadata = new Dictionary<string, string>(), CreatedAt = now }, default);
            lock (writes)
            {
                writes.Add((started, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }

            await Task.Delay(5);
        }
    });

    await Task.Delay(3000); // intake alone: the baseline
    var windows = new List<(long Start, long End)>();
    var durations = new List<double>();
    for (var i = 0; i < erasures; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await eraser.EraseAsync("acme", all[1000 + i].LeadId, default);
        windows.Add((started, Stopwatch.GetTimestamp()));
        durations.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await Task.Delay(500);
    }

    stop.Cancel();
    await intake;
    var first = windows[0].Start;
    var during = writes.Where(w => windows.Any(x => w.Start < x.End && w.Start + (long)(w.Ms * Stopwatch.Frequency / 1000) > x.Start)).Select(w => w.Ms).ToList();
    var before = writes.Where(w => w.Start < first - Stopwatch.Frequency / 2).Select(w => w.Ms).ToList();
    Console.WriteLine($"erasure (DELETE's work), {erasures} leads: {Stats(durations)}");
    Console.WriteLine($"intake writes while an erasure ran ({during.Count}): {Stats(during)}");
    Console.WriteLine($"intake writes with no erasure running ({before.Count}): {Stats(before)}");
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(dir, recursive: true);
}

return 0;

long WalLength() => File.Exists(db.Path + "-wal") ? new FileInfo(db.Path + "-wal").Length : 0;

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);

static string Stats(List<double> ms)
{
    if (ms.Count == 0)
    {
        return "none";
    }

    ms.Sort();
    double At(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
    return $"p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms, max {ms[^1]:F1} ms";
}
