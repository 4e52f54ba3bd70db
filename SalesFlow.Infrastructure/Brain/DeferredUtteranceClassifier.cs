using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>
/// The shipped models (<see cref="MlNetUtteranceClassifier.Embedded"/>) behind the port, loaded by the first reading
/// rather than when a service that reads messages is built: composing the app at start (before /ready) must not wait for
/// the ~90 MB sentence-embedding model.
/// </summary>
public sealed class DeferredUtteranceClassifier : IUtteranceClassifier
{
    public BlendThresholds Thresholds => MlNetUtteranceClassifier.Embedded.Thresholds;

    public LearntReading Classify(string text, MessageAnalysis rules) => MlNetUtteranceClassifier.Embedded.Classify(text, rules);
}
