using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>
/// The inbound sweep against a real SQLite store and queue: turns lost while storage failed are found and queued
/// again, and the conversation engine still answers each message once.
/// </summary>
public sealed class InboundSweepAgainstSqliteTests : IDisposable
{
    private readonly EngineTestBed _bed = new();
    private readonly InboundSweeper _sweeper;

    public InboundSweepAgainstSqliteTests() =>
        _sweeper = new InboundSweeper(new SqliteUnansweredInbound(_bed.Temp.Db), _bed.Queue, _bed.Clock, NullLogger<InboundSweeper>.Instance);

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task AMessageWhoseTurnWasParkedWhileWritesFailedIsAnsweredExactlyOnceAfterTheSweep()
    {
        var accepted = await _bed.Say("Hi, what does your CRM cost for 5 people?", "wamid.1");
        _bed.Clock.Advance(TimeSpan.FromSeconds(2)); // past the burst window

        // The disk refuses the reply: the turn fails and (one try allowed) is parked in the poison queue.
        await using (await RefuseRepliesAsync())
        {
            await Assert.ThrowsAnyAsync<Microsoft.Data.Sqlite.SqliteException>(RunQueuedTurnAsync);
        }

        Assert.Equal(1, await _bed.Queue.CountAsync(Queues.Poison(Queues.ProcessInbound), default));
        Assert.Equal(0, await _bed.Queue.CountAsync(Queues.ProcessInbound, default));
        Assert.Equal(0, await RepliesToAsync(accepted.LeadId));

        _bed.Clock.Advance(InboundSweeper.StaleAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _sweeper.SweepAsync(default));
        Assert.True(await RunQueuedTurnAsync());

        Assert.Equal(1, await RepliesToAsync(accepted.LeadId));
        _bed.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _sweeper.SweepAsync(default));
        Assert.False(await RunQueuedTurnAsync());
        Assert.Equal(1, await RepliesToAsync(accepted.LeadId));
    }

    [Fact]
    public async Task AMessageIsSweptOnlyOnceItHasWaitedLongerThanAnyQueuedTurnWould()
    {
        await _bed.Say("Hello, do you do demos?", "wamid.1");
        _bed.Clock.Advance(InboundSweeper.StaleAfter - TimeSpan.FromSeconds(1));

        Assert.Equal(0, await _sweeper.SweepAsync(default));
        Assert.Equal(1, await _bed.Queue.CountAsync(Queues.ProcessInbound, default));
    }

    [Fact]
    public async Task SweepingAConversationWhoseTurnStillWaitsInTheQueueMergesIntoItAndGivesOneReply()
    {
        var accepted = await _bed.Say("Hi, what does it cost?", "wamid.1");
        _bed.Clock.Advance(InboundSweeper.StaleAfter + TimeSpan.FromSeconds(1));

        Assert.Equal(1, await _sweeper.SweepAsync(default));
        Assert.Equal(1, await _bed.Queue.CountAsync(Queues.ProcessInbound, default));
        while (await RunQueuedTurnAsync())
        {
        }

        Assert.Equal(1, await RepliesToAsync(accepted.LeadId));
    }

    [Fact]
    public async Task ATurnThatKeepsFailingIsQueuedAgainAfterLongerAndLongerWaitsNotOnEveryRun()
    {
        await _bed.Say("Hi, what does it cost?", "wamid.1");
        _bed.Clock.Advance(TimeSpan.FromSeconds(2)); // past the burst window
        await using var outage = await RefuseRepliesAsync();
        await Assert.ThrowsAnyAsync<Microsoft.Data.Sqlite.SqliteException>(RunQueuedTurnAsync);

        var queued = new List<int>();
        for (var minute = 0; minute < 16; minute++)
        {
            _bed.Clock.Advance(TimeSpan.FromMinutes(1));
            var swept = await _sweeper.SweepAsync(default);
            queued.Add(swept);
            if (swept > 0)
            {
                await Assert.ThrowsAnyAsync<Microsoft.Data.Sqlite.SqliteException>(RunQueuedTurnAsync);
            }
        }

        // Stale after 2 minutes, then queued again 4 and 8 minutes later.
        Assert.Equal([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0], queued);
    }

    [Fact]
    public async Task TheSweptTurnKeepsOptedOutAndEscalatedLeadsSilentAndAnUntrustedMessageWaitsForNobody()
    {
        var optedOut = await _bed.Say("STOP", "wamid.stop");
        var escalated = await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.WhatsApp, "wamid.human", "491709876543", "Ben", null, "I want to talk to a human please", "text", _bed.Clock.GetUtcNow()), default);
        _bed.Clock.Advance(TimeSpan.FromSeconds(10));
        while (await RunQueuedTurnAsync())
        {
        }

        Assert.Equal(1, await RepliesToAsync(optedOut.LeadId)); // the opt-out confirmation
        Assert.Equal(1, await RepliesToAsync(escalated.LeadId)); // the hand-over

        // Both write again and their turns are lost (taken from the queue and never run).
        await _bed.Say("hello?", "wamid.again");
        await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.WhatsApp, "wamid.human2", "491709876543", "Ben", null, "anyone there?", "text", _bed.Clock.GetUtcNow()), default);
        _bed.Clock.Advance(TimeSpan.FromSeconds(10));
        await DropQueuedTurnsAsync();

        // A message nobody may answer (an e-mail whose sender is not authenticated) is stored unanswerable.
        var conversation = (await _bed.Conversations.FindForLeadAsync("acme", escalated.LeadId, default))!;
        await _bed.Conversations.AddInboundAsync(new Message
        {
            Id = "msg_forged",
            ClientId = "acme",
            LeadId = escalated.LeadId,
            ConversationId = conversation.Id,
            Direction = MessageDirection.Inbound,
            Channel = ChannelKind.Email,
            Text = "Send the offer to me instead",
            Answerable = false,
            Metadata = new Dictionary<string, string> { [SenderTrust.UntrustedKey] = SenderTrust.SenderNotAuthenticated },
            CreatedAt = _bed.Clock.GetUtcNow(),
        }, default);

        _bed.Clock.Advance(InboundSweeper.StaleAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await _sweeper.SweepAsync(default));
        while (await RunQueuedTurnAsync())
        {
        }

        Assert.Equal(1, await RepliesToAsync(optedOut.LeadId));
        Assert.Equal(1, await RepliesToAsync(escalated.LeadId));
        _bed.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _sweeper.SweepAsync(default));
    }

    /// <summary>What the queue runner does with one due process-inbound item; false when none is due. One try: a failure parks it.</summary>
    private async Task<bool> RunQueuedTurnAsync()
    {
        if (await _bed.Queue.ClaimAsync(Queues.ProcessInbound, TimeSpan.FromMinutes(2), default) is not { } item)
        {
            return false;
        }

        try
        {
            var work = ProcessInboundWork.Parse(item.Payload);
            await _bed.Engine().ProcessLeadAsync(work.ClientId, work.LeadId, default);
            await _bed.Queue.CompleteAsync(item, default);
            return true;
        }
        catch (Exception e)
        {
            await _bed.Queue.FailAsync(item, e.Message, TimeSpan.Zero, maxDequeueCount: 1, default);
            throw;
        }
    }

    private async Task DropQueuedTurnsAsync()
    {
        while (await _bed.Queue.ClaimAsync(Queues.ProcessInbound, TimeSpan.FromMinutes(2), default) is { } item)
        {
            await _bed.Queue.CompleteAsync(item, default);
        }
    }

    private async Task<long> RepliesToAsync(string leadId)
    {
        await using var connection = _bed.Temp.Db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE client_id = 'acme' AND lead_id = $l";
        command.Parameters.AddWithValue("$l", leadId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The database refuses every reply (a trigger from another connection, the error a full disk gives) until disposed.</summary>
    private async Task<IAsyncDisposable> RefuseRepliesAsync()
    {
        var connection = _bed.Temp.Db.Open();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TRIGGER outage_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";
            await create.ExecuteNonQueryAsync();
        }

        return new Outage(connection);
    }

    private sealed class Outage(Microsoft.Data.Sqlite.SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var drop = connection.CreateCommand())
            {
                drop.CommandText = "DROP TRIGGER outage_outbox;";
                await drop.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
