using Microsoft.Extensions.Time.Testing;
using Moq;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Qualification;

/// <summary>The learnt weights every turn's score refresh reads are cached per client; a refit replaces them at once.</summary>
public sealed class CachedLeadScoreModelsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Mock<ILeadScoreModelStore> _store = new();

    private static LeadScoreModel Model(string clientId, double bias) =>
        new(clientId, new Dictionary<string, double> { ["engagement"] = 1.5 }, bias, 40, 12, 40, Now, Now);

    [Fact]
    public async Task TurnsWithinTheTimeToLiveReadTheWeightsOnceAndAfterItReadThemAgain()
    {
        _store.Setup(s => s.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(Model("c1", 0.1));
        var cached = new CachedLeadScoreModels(_store.Object, _clock);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(0.1, (await cached.GetAsync("c1", CancellationToken.None))!.Bias);
        }

        _store.Verify(s => s.GetAsync("c1", It.IsAny<CancellationToken>()), Times.Once);
        _clock.Advance(CachedLeadScoreModels.TimeToLive);
        await cached.GetAsync("c1", CancellationToken.None);
        _store.Verify(s => s.GetAsync("c1", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task AClientWithoutLearntWeightsIsCachedAsPriorsAndEachClientHasItsOwnEntry()
    {
        _store.Setup(s => s.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync((LeadScoreModel?)null);
        _store.Setup(s => s.GetAsync("c2", It.IsAny<CancellationToken>())).ReturnsAsync(Model("c2", 0.7));
        var cached = new CachedLeadScoreModels(_store.Object, _clock);

        Assert.Null(await cached.GetAsync("c1", CancellationToken.None));
        Assert.Null(await cached.GetAsync("c1", CancellationToken.None));
        Assert.Equal(0.7, (await cached.GetAsync("c2", CancellationToken.None))!.Bias);
        _store.Verify(s => s.GetAsync("c1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ARefitInThisProcessIsUsedByTheNextTurnAtOnce()
    {
        _store.Setup(s => s.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync((LeadScoreModel?)null);
        var cached = new CachedLeadScoreModels(_store.Object, _clock);
        Assert.Null(await cached.GetAsync("c1", CancellationToken.None));

        await cached.SaveAsync(Model("c1", 0.4), CancellationToken.None);

        Assert.Equal(0.4, (await cached.GetAsync("c1", CancellationToken.None))!.Bias);
        _store.Verify(s => s.SaveAsync(It.Is<LeadScoreModel>(m => m.Bias == 0.4), It.IsAny<CancellationToken>()), Times.Once);
        _store.Verify(s => s.GetAsync("c1", It.IsAny<CancellationToken>()), Times.Once);
    }
}
