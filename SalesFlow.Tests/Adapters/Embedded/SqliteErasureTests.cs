using System.Buffers.Binary;
using System.Text;
using SalesFlow.Core.Common;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>
/// Erasure in the embedded store: no trace of the lead stays in the file or the WAL, and no full VACUUM holds the write
/// lock while it happens (issue 10, finding 5: a webhook waited over a second behind one).
/// </summary>
public sealed class SqliteErasureTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new();
    private readonly SqliteLeadStore _leads;
    private readonly SqliteConversationStore _conversations;

    public SqliteErasureTests()
    {
        _leads = new SqliteLeadStore(_temp.Db);
        _conversations = new SqliteConversationStore(_temp.Db);
    }

    public void Dispose() => _temp.Dispose();

    private SqliteLeadEraser Eraser() => new(_temp.Db, new SqliteMemoryIndex(_temp.Db));

    [Fact]
    public async Task AnErasureDoesNotRebuildTheFileButLeavesItsFreedPagesZeroed()
    {
        await LeadWithMessagesAsync("+491701000001", "keeper", 20, 300);
        var erased = await LeadWithMessagesAsync("+491701000002", "Zeppelin", 5, 20_000); // overflow pages, freed by the erasure

        Assert.NotNull(await Eraser().EraseAsync("acme", erased, default));

        // A VACUUM would have rebuilt the file, taking every free page out of it, while holding the write lock throughout.
        Assert.True(await ScalarAsync("PRAGMA freelist_count") > 0, "the erasure rebuilt the whole file (VACUUM)");
        AssertNoTrace("Zeppelin", erased);
    }

    [Fact]
    public async Task IntakeWritesWhileAnErasureScrubsTheFile()
    {
        await LeadWithMessagesAsync("+491701000001", "keeper", 20, 300);
        var erased = await LeadWithMessagesAsync("+491701000002", "Zeppelin", 20, 300);
        var scrubbing = new TaskCompletionSource();
        var goOn = new TaskCompletionSource();
        _temp.Db.Scrubber.AfterSlice = async _ =>
        {
            scrubbing.TrySetResult();
            await goOn.Task;
        };

        var erasure = Eraser().EraseAsync("acme", erased, default);
        await scrubbing.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The scrub is paused in the middle; a new lead writes its first message meanwhile.
        var intake = LeadWithMessagesAsync("+491701000003", "newcomer", 1, 100);
        await intake.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(erasure.IsCompleted);
        Assert.True(await _temp.Db.Scrubber.AnyPendingAsync());

        goOn.SetResult();
        Assert.NotNull(await erasure);
        Assert.False(await _temp.Db.Scrubber.AnyPendingAsync());
        AssertNoTrace("Zeppelin", erased);
        Assert.NotNull(await _leads.GetAsync("acme", await intake, default));
    }

    [Fact]
    public async Task BytesLeftInThePagesUnusedSpaceAreScrubbed()
    {
        var erased = await LeadWithMessagesAsync("+491701000002", "Zeppelin", 30, 200);
        await LeadWithMessagesAsync("+491701000001", "keeper", 30, 200);

        // What SQLite leaves when it rebalances a b-tree: cells that moved to a sibling page stay in the old page's unused
        // space, untouched by secure_delete when the row is deleted later (seen with SQLite 3.40 and 3.53). Planted here.
        await ScalarAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var planted = PlantInUnusedSpace("Zeppelin left behind by " + erased);
        Assert.Equal("ok", await TextAsync("PRAGMA integrity_check"));

        Assert.NotNull(await Eraser().EraseAsync("acme", erased, default));

        AssertNoTrace("Zeppelin", erased);
        Assert.Equal("ok", await TextAsync("PRAGMA integrity_check"));
        Assert.True(planted > 0);
    }

    [Fact]
    public async Task AnErasureInterruptedBeforeItsScrubFinishedIsFinishedAfterARestart()
    {
        await LeadWithMessagesAsync("+491701000001", "keeper", 20, 300);
        var erased = await LeadWithMessagesAsync("+491701000002", "Zeppelin", 20, 300);
        _temp.Db.Scrubber.AfterSlice = _ => throw new IOException("the process dies here");

        await Assert.ThrowsAsync<IOException>(() => Eraser().EraseAsync("acme", erased, default));
        Assert.Null(await _leads.GetAsync("acme", erased, default));

        // Restart: a new database object over the same file finds the erasure pending and finishes it.
        var path = _temp.Db.Path;
        _temp.Db.Dispose();
        using var restarted = new SqliteDatabase(path, new RuntimeHealth());
        Assert.True(await restarted.Scrubber.AnyPendingAsync());
        await restarted.Scrubber.ScrubPendingAsync(default);

        Assert.False(await restarted.Scrubber.AnyPendingAsync());
        AssertNoTrace("Zeppelin", erased);
    }

    [Fact]
    public async Task ManyLeadsWrittenInTurnsLeaveNoTraceOfTheErasedOne()
    {
        // Interleaved writes of many leads (messages, growing conversation histories, deletions) make SQLite split and
        // rebalance pages while the erased lead's rows are in them. With secure_delete and checkpoints alone (the page
        // scrub switched off) the erased lead's id was still in the file in 1 of 5 runs (ids are random, so layouts vary).
        var random = new Random(10);
        var conversations = new List<Conversation>();
        for (var i = 0; i < 60; i++)
        {
            var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, $"+4917020{i:D5}", () => NewLead(), default);
            conversations.Add(await _conversations.GetOrCreateForLeadAsync("acme", lead.Id, ChannelKind.WhatsApp, Now, default));
        }

        var target = conversations[30];
        for (var i = 0; i < 1500; i++)
        {
            var c = i % 7 == 0 ? target : conversations[random.Next(conversations.Count)];
            var text = (c == target ? $"Zeppelin {i} " : "") + Words(random, random.Next(5, 120));
            await _conversations.AddInboundAsync(Inbound(c, text), default);
            await _temp.Db.WriteAsync((db, t) => Exec(db, t, "UPDATE conversations SET history_json = history_json || $x WHERE id = $id", ("$x", c == target ? "Zeppelin-history " : Words(random, 8)), ("$id", c.Id)), default);
            if (i % 5 == 0)
            {
                await _temp.Db.WriteAsync((db, t) => Exec(db, t, "DELETE FROM messages WHERE seq = (SELECT seq FROM messages WHERE lead_id <> $l ORDER BY random() LIMIT 1)", ("$l", target.LeadId)), default);
            }
        }

        Assert.NotNull(await Eraser().EraseAsync("acme", target.LeadId, default));

        AssertNoTrace("Zeppelin", target.LeadId, target.Id);
        Assert.Equal("ok", await TextAsync("PRAGMA integrity_check"));
    }

    private static Lead NewLead() => StoreContractTests.NewLead("acme");

    private static Message Inbound(Conversation c, string text) => StoreContractTests.Inbound(c, text);

    private static string Words(Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => new string((char)('a' + random.Next(26)), random.Next(1, 9))));

    private static async Task Exec(Microsoft.Data.Sqlite.SqliteConnection db, Microsoft.Data.Sqlite.SqliteTransaction t, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = t;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> LeadWithMessagesAsync(string phone, string word, int messages, int length)
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, phone, () => NewLead(), default);
        var conversation = await _conversations.GetOrCreateForLeadAsync("acme", lead.Id, ChannelKind.WhatsApp, Now, default);
        for (var i = 0; i < messages; i++)
        {
            await _conversations.AddInboundAsync(Inbound(conversation, $"{word} {i} " + new string('x', length)), default);
        }

        return lead.Id;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = _temp.Db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<string> TextAsync(string sql)
    {
        await using var connection = _temp.Db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Writes the text into the unused space of the last table leaf page that has room for it; its page number.</summary>
    private int PlantInUnusedSpace(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var file = new FileStream(_temp.Db.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var page = new byte[4096];
        for (var number = (int)(file.Length / page.Length); number > 1; number--)
        {
            file.Position = (number - 1L) * page.Length;
            file.ReadExactly(page);
            var pointersEnd = 8 + (2 * BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(3)));
            var contentStart = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(5));
            if (page[0] == 13 && contentStart - pointersEnd > bytes.Length)
            {
                file.Position = ((number - 1L) * page.Length) + pointersEnd;
                file.Write(bytes);
                file.Flush(flushToDisk: true);
                return number;
            }
        }

        throw new InvalidOperationException("no table leaf page with room");
    }

    /// <summary>Every byte of the database and its WAL, searched for the lead's strings.</summary>
    private void AssertNoTrace(params string[] needles)
    {
        foreach (var (file, bytes) in ReadDataFolder())
        {
            foreach (var needle in needles)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"'{needle}' still in {Path.GetFileName(file)}");
            }
        }
    }

    /// <summary>
    /// The folder's files as one snapshot. Other tests clear SQLite's global connection pool; when the last connection
    /// to this file closes, SQLite checkpoints and deletes the WAL and shm, so a vanished file means: read them all again.
    /// </summary>
    private List<(string File, byte[] Bytes)> ReadDataFolder()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Directory.GetFiles(_temp.Directory).Select(file => (file, ReadShared(file))).ToList();
            }
            catch (FileNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
