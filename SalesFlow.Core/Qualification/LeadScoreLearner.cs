using Microsoft.Extensions.Logging;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// Learns a client's score weights from its won/lost leads: each labelled lead's stored features (its snapshot) are the
/// input, its outcome the label. Refits only when the outcomes changed since the last fit (another count or a newer one),
/// and reads at most <see cref="MaxOutcomes"/> of them, so a run stays bounded however large the client.
/// </summary>
public sealed class LeadScoreLearner(ILeadOutcomeStore outcomes, ILeadScoreStore scores, ILeadScoreModelStore models, TimeProvider clock, ILogger<LeadScoreLearner> logger)
{
    public const int MaxOutcomes = 1000;

    /// <summary>The stored or newly fitted model; null while the client has too few outcomes (the priors apply).</summary>
    public async Task<LeadScoreModel?> RefitIfChangedAsync(string clientId, CancellationToken ct)
    {
        var labelled = await outcomes.ListAsync(clientId, MaxOutcomes, ct);
        var current = await models.GetAsync(clientId, ct);
        var latest = labelled.Count == 0 ? DateTimeOffset.MinValue : labelled.Max(o => o.At);
        if (current is not null && current.OutcomesRead == labelled.Count && current.LatestOutcomeAt >= latest)
        {
            return current;
        }

        List<(IReadOnlyDictionary<string, double> X, bool Won)> samples = [];
        foreach (var outcome in labelled)
        {
            if (await scores.GetAsync(clientId, outcome.LeadId, ct) is { } snapshot)
            {
                samples.Add((LeadScore.Scale(snapshot.Features), outcome.Outcome == LeadOutcomes.Won));
            }
        }

        var won = samples.Count(s => s.Won);
        if (!LogisticFit.Enough(won, samples.Count - won))
        {
            return current;
        }

        var (weights, bias) = LogisticFit.Fit(samples);
        var model = new LeadScoreModel(clientId, weights, bias, samples.Count, won, labelled.Count, latest, clock.GetUtcNow());
        await models.SaveAsync(model, ct);
        logger.LogInformation("Learnt score weights of client {ClientId} from {Outcomes} outcomes ({Won} won)", clientId, samples.Count, won);
        return model;
    }
}
