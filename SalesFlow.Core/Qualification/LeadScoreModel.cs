namespace SalesFlow.Core.Qualification;

/// <summary>A client's learnt score weights: fitted on <see cref="Outcomes"/> won/lost leads (<see cref="Won"/> of them won).</summary>
/// <param name="OutcomesRead">Outcomes listed when fitting (some may lack a snapshot): another count means refit.</param>
/// <param name="LatestOutcomeAt">The newest outcome the fit saw: a later one means refit.</param>
public sealed record LeadScoreModel(string ClientId, IReadOnlyDictionary<string, double> Weights, double Bias, int Outcomes, int Won, int OutcomesRead, DateTimeOffset LatestOutcomeAt, DateTimeOffset FittedAt);

/// <summary>One learnt model per client, replaced by each refit.</summary>
public interface ILeadScoreModelStore
{
    Task<LeadScoreModel?> GetAsync(string clientId, CancellationToken ct);

    Task SaveAsync(LeadScoreModel model, CancellationToken ct);
}

/// <summary>
/// Logistic regression by full-batch gradient descent with an L2 penalty over the score's six scaled features. Six
/// features and at most a few thousand labelled leads per client: a few thousand passes take milliseconds, so ML.NET
/// (a large dependency built for text and large sparse data) would add nothing here; the fit stays readable and the
/// weights stay on the same scale as the priors, which the score shows.
/// </summary>
public static class LogisticFit
{
    /// <summary>The fewest outcomes, and of each class, before learnt weights replace the priors.</summary>
    public const int MinOutcomes = 20;
    public const int MinPerClass = 5;

    public static bool Enough(int won, int lost) => won + lost >= MinOutcomes && won >= MinPerClass && lost >= MinPerClass;

    /// <summary>Fits weights (by feature name) and a bias; <paramref name="lambda"/> pulls weights towards the priors' scale of 0 (the bias is not penalised).</summary>
    public static (IReadOnlyDictionary<string, double> Weights, double Bias) Fit(IReadOnlyList<(IReadOnlyDictionary<string, double> X, bool Won)> samples, double lambda = 0.01, int epochs = 3000, double rate = 0.5)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples to fit.", nameof(samples));
        }

        var names = LeadScore.PriorWeights.Keys.ToArray();
        var x = samples.Select(s => names.Select(n => s.X.GetValueOrDefault(n)).ToArray()).ToArray();
        var y = samples.Select(s => s.Won ? 1.0 : 0.0).ToArray();
        var w = new double[names.Length];
        var b = 0.0;
        var n = samples.Count;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var gw = new double[w.Length];
            var gb = 0.0;
            for (var i = 0; i < n; i++)
            {
                var z = b;
                for (var j = 0; j < w.Length; j++)
                {
                    z += w[j] * x[i][j];
                }

                var error = (1 / (1 + Math.Exp(-z))) - y[i];
                gb += error;
                for (var j = 0; j < w.Length; j++)
                {
                    gw[j] += error * x[i][j];
                }
            }

            b -= rate * gb / n;
            for (var j = 0; j < w.Length; j++)
            {
                w[j] -= rate * ((gw[j] / n) + (lambda * w[j]));
            }
        }

        return (names.Select((name, j) => (name, Math.Round(w[j], 3))).ToDictionary(p => p.name, p => p.Item2), Math.Round(b, 3));
    }
}
