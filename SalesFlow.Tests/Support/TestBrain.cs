using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Infrastructure.Brain;

namespace SalesFlow.Tests.Support;

/// <summary>The embedded brain as production wires it (rules + the shipped learnt models), loaded once per process.</summary>
public static class TestBrain
{
    public static IUtteranceClassifier Classifier => MlNetUtteranceClassifier.Embedded;

    public static MessageReader Reader { get; } = new(new DeferredUtteranceClassifier());

    public static RulesInsightsExtractor Extractor() => new(Reader);

    /// <summary>The repository root (the folder with data/brain), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "data", "brain")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("data/brain not found above " + AppContext.BaseDirectory);
    }
}
