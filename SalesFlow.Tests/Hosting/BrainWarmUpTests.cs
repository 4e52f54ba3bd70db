using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Tests.Hosting;

public sealed class BrainWarmUpTests
{
    private readonly Mock<IUtteranceClassifier> _model = new();
    private readonly StartedSignal _lifetime = new();

    public BrainWarmUpTests() => _model.SetupGet(m => m.Thresholds).Returns(new BlendThresholds(0.3, 0.5));

    [Fact]
    public async Task TheBrainReadsOneMessageOnceTheAppHasStartedAndNotBefore()
    {
        _model.Setup(m => m.Classify(It.IsAny<string>(), It.IsAny<MessageAnalysis>()))
            .Returns(new LearntReading(Intent.Pricing, 0.9, Sentiment.Neutral, 0.9, 0, 0));
        using var warmUp = new BrainWarmUp(new MessageReader(_model.Object), _lifetime, NullLogger<BrainWarmUp>.Instance);

        await warmUp.StartAsync(CancellationToken.None);
        _model.Verify(m => m.Classify(It.IsAny<string>(), It.IsAny<MessageAnalysis>()), Times.Never);

        _lifetime.Start();
        await warmUp.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        _model.Verify(m => m.Classify(BrainWarmUp.Sample, It.IsAny<MessageAnalysis>()), Times.Once);
    }

    [Fact]
    public async Task AFailingLoadIsLoggedAndLeavesTheAppRunning()
    {
        _model.Setup(m => m.Classify(It.IsAny<string>(), It.IsAny<MessageAnalysis>())).Throws(new InvalidOperationException("model resource missing"));
        using var warmUp = new BrainWarmUp(new MessageReader(_model.Object), _lifetime, NullLogger<BrainWarmUp>.Instance);

        await warmUp.StartAsync(CancellationToken.None);
        _lifetime.Start();
        await warmUp.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskStatus.RanToCompletion, warmUp.ExecuteTask.Status);
    }

    /// <summary>A host lifetime whose ApplicationStarted the test fires.</summary>
    private sealed class StartedSignal : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Start() => _started.Cancel();

        public void StopApplication()
        {
        }
    }
}
