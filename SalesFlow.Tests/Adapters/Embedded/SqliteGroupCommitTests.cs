using Microsoft.Data.Sqlite;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>Group commit (SqliteDatabase.GroupAsync): concurrent intake units share transactions, and each is durable, exact and alone in its failure.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly SqliteLeadStore _leads;
    private readonly SqliteConversationStore _conversations;

    public SqliteGroupCommitTests()
    {
        _leads = new SqliteLeadStore(_temp.Db);
        _conversations = new SqliteConversationStore(_temp.Db);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryConcurrentUnitIsInTheFileOnceItsCallerHasBeenAnswered()
    {
        // Each unit is what a webhook does: the lead, its conversation, the message, in one unit.
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => _temp.Db.GroupAsync(() => IntakeAsync("+4917010000" + (i % 40).ToString("D2"), "wamid." + i), default)));

        Assert.Equal(200, results.Count(r => !r.Duplicate));
        Assert.Equal((40L, 40L, 200L), (Count("leads"), Count("conversations"), Count("messages")));
    }

    [Fact]
    public async Task TheSameDeliveryInManyConcurrentUnitsIsStoredOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _temp.Db.GroupAsync(() => IntakeAsync("+491701234567", "wamid.same"), default)));

        Assert.Single(results, r => !r.Duplicate);
        Assert.Single(results.Select(r => r.Message.Id).Distinct());
        Assert.Equal(1L, Count("messages"));
    }

    [Fact]
    public async Task AUnitThatFailsIsRolledBackAloneAndItsCallerGetsItsException()
    {
        var units = Enumerable.Range(0, 60).Select(i => _temp.Db.GroupAsync(async () =>
        {
            var stored = await IntakeAsync("+4917020000" + i.ToString("D2"), "wamid.f" + i);
            return i % 10 == 3 ? throw new InvalidOperationException("unit " + i) : stored;
        }, default)).ToArray();

        foreach (var (unit, i) in units.Select((u, i) => (u, i)))
        {
            if (i % 10 == 3)
            {
                Assert.Equal("unit " + i, (await Assert.ThrowsAsync<InvalidOperationException>(() => unit)).Message);
            }
            else
            {
                Assert.False((await unit).Duplicate);
            }
        }

        // Nothing of a failed unit: not its message, and not the lead and conversation it created before failing.
        Assert.Equal((54L, 54L, 54L), (Count("leads"), Count("conversations"), Count("messages")));
    }

    [Fact]
    public async Task UnitsWaitingForAnAnswerRunBeforeBackgroundUnitsQueuedEarlier()
    {
        var order = new List<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Holds the writer inside a group while the others queue up, so they are all waiting when it takes the next one.
        var blocker = _temp.Db.GroupAsync(async () =>
        {
            running.SetResult();
            await gate.Task;
            return 0;
        }, default);
        await running.Task;
        Task<int> Unit(string name, bool background)
        {
            Task<int> Work()
            {
                order.Add(name);
                return Task.FromResult(0);
            }

            return background ? _temp.Db.GroupInBackgroundAsync(Work, default) : _temp.Db.GroupAsync(Work, default);
        }

        var units = Enumerable.Range(1, 6).Select(i => Unit("background " + i, background: true))
            .Concat(Enumerable.Range(1, 3).Select(i => Unit("webhook " + i, background: false))).ToList();
        gate.SetResult();
        await Task.WhenAll(units.Append(blocker));

        Assert.Equal(["webhook 1", "webhook 2", "webhook 3", "background 1", "background 2", "background 3", "background 4", "background 5", "background 6"], order);
    }

    [Fact]
    public async Task AReadInsideAUnitSeesTheUnitsOwnWritesBeforeTheCommit()
    {
        var seen = await _temp.Db.GroupAsync(async () =>
        {
            var (message, _) = await IntakeAsync("+491709999999", "wamid.read");
            return await _conversations.GetMessageAsync("acme", message.ConversationId, message.Id, default);
        }, default);

        Assert.Equal("wamid.read", seen?.ProviderMessageId);
    }

    private async Task<(Message Message, bool Duplicate)> IntakeAsync(string phone, string wamid)
    {
        var now = DateTimeOffset.UtcNow;
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = "acme", Phone = phone, CreatedAt = now, UpdatedAt = now }, default);
        var conversation = await _conversations.GetOrCreateForLeadAsync("acme", lead.Id, ChannelKind.WhatsApp, now, default);
        return await _conversations.AddInboundAsync(new Message
        {
            Id = Ids.Deterministic("msg", "acme", "whatsapp", wamid),
            ClientId = "acme",
            LeadId = lead.Id,
            ConversationId = conversation.Id,
            Channel = ChannelKind.WhatsApp,
            Text = "Hello",
            ProviderMessageId = wamid,
            Answerable = true,
            CreatedAt = now,
        }, default);
    }

    /// <summary>Counted on a fresh, unpooled connection to the file: what a restarted process would read.</summary>
    private long Count(string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _temp.Db.Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }
}
