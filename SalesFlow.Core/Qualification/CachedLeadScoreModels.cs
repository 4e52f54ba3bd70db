using System.Collections.Concurrent;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// The learnt score weights, cached per client for <see cref="TimeToLive"/>: every turn's score refresh reads them, and
/// they change only when the learner refits (a timer, hours apart). A refit in this process replaces the cached entry
/// at once; one in another instance is seen within the time to live. A client without learnt weights (the priors) is
/// cached as such. Ours rather than IMemoryCache: one small value per client, no eviction policy or size limit needed.
/// </summary>
public sealed class CachedLeadScoreModels(ILeadScoreModelStore inner, TimeProvider clock) : ILeadScoreModelStore
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (LeadScoreModel? Model, DateTimeOffset Until)> _byClient = new(StringComparer.Ordinal);

    public async Task<LeadScoreModel?> GetAsync(string clientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_byClient.TryGetValue(clientId, out var cached) && cached.Until > now)
        {
            return cached.Model;
        }

        var model = await inner.GetAsync(clientId, ct);
        _byClient[clientId] = (model, now + TimeToLive);
        return model;
    }

    public async Task SaveAsync(LeadScoreModel model, CancellationToken ct)
    {
        _byClient.TryRemove(model.ClientId, out _);
        await inner.SaveAsync(model, ct);
        _byClient[model.ClientId] = (model, clock.GetUtcNow() + TimeToLive);
    }
}
