using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Conversations;

/// <summary>An API message's inline turn and its queued copy ran side by side and fetched the calendar's slots twice.</summary>
public sealed class LeadTurnGateTests
{
    [Fact]
    public async Task ASecondTurnOfTheSameLeadWaitsUntilTheFirstIsDone()
    {
        var gate = new LeadTurnGate();
        var first = await gate.EnterAsync("acme", "lead-1", default);

        var second = gate.EnterAsync("acme", "lead-1", default);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal(0, gate.Count);
    }

    [Fact]
    public async Task TurnsOfOtherLeadsAndOtherClientsDoNotWait()
    {
        var gate = new LeadTurnGate();
        using var first = await gate.EnterAsync("acme", "lead-1", default);

        using var otherLead = await gate.EnterAsync("acme", "lead-2", default).WaitAsync(TimeSpan.FromSeconds(10));
        using var otherClient = await gate.EnterAsync("globex", "lead-1", default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, gate.Count);
    }

    [Fact]
    public async Task AWaitThatIsCancelledLeavesNothingBehind()
    {
        var gate = new LeadTurnGate();
        var first = await gate.EnterAsync("acme", "lead-1", default);
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync("acme", "lead-1", cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();
        Assert.Equal(0, gate.Count);
    }
}
