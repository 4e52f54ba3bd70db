using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Memory;

/// <summary>What the brain gets to remember for one turn, already fitted to the token budget.</summary>
/// <param name="Tokens">Estimated tokens of everything kept (<see cref="ContextBuilder.Fit"/> says how they are counted).</param>
public sealed record ConversationContext(
    IReadOnlyList<string> KeyFacts,
    string? Summary,
    IReadOnlyList<Recall> Recalls,
    IReadOnlyList<Message> Messages,
    int Tokens,
    int Budget)
{
    public bool OverBudget => Tokens > Budget;
}

/// <summary>
/// Assembles the context of a turn from the three layers: key facts (the lead profile), the warm summary, cold recalls
/// relevant to the query, and the hot window of newest messages; then fits it to the budget.
/// Five reads, each a point read or an indexed range (the recall scan runs over the lead's cached vectors).
/// </summary>
public sealed class ContextBuilder(
    IConversationStore conversations,
    ILeadProfileStore profiles,
    IMemoryStore store,
    IMemoryIndex index,
    [FromKeyedServices(MemoryService.EmbedderKey)] IEmbeddingGenerator<string, Embedding<float>> embedder,
    IOptions<MemoryOptions> options)
{
    public async Task<ConversationContext> BuildAsync(string clientId, string leadId, string conversationId, string query, int budgetTokens, CancellationToken ct) =>
        await BuildAsync(clientId, leadId, conversationId, query, budgetTokens, profiles.GetAsync(clientId, leadId, ct), ct);

    /// <summary>The context around a profile the caller has just written (a turn): read again it would only cost a round trip.</summary>
    public Task<ConversationContext> BuildAsync(string clientId, string leadId, string conversationId, string query, int budgetTokens, LeadProfile profile, CancellationToken ct) =>
        BuildAsync(clientId, leadId, conversationId, query, budgetTokens, Task.FromResult<LeadProfile?>(profile), ct);

    private async Task<ConversationContext> BuildAsync(string clientId, string leadId, string conversationId, string query, int budgetTokens, Task<LeadProfile?> profileTask, CancellationToken ct)
    {
        var o = options.Value;
        var summaryTask = store.GetSummaryAsync(clientId, leadId, ct);
        var hot = await conversations.ListMessagesAsync(clientId, conversationId, o.HotWindow, ct);
        IReadOnlyList<Recall> recalls = [];
        if (o.RecallTop > 0 && !string.IsNullOrWhiteSpace(query))
        {
            var vector = (await embedder.GenerateAsync([query], cancellationToken: ct))[0].Vector.ToArray();
            var beforeSeq = hot.Count > 0 ? hot[0].Seq : long.MaxValue;
            recalls = await index.SearchAsync(clientId, leadId, vector, o.RecallTop, MemoryOptions.RecallFloor, beforeSeq, ct);
        }

        var profile = await profileTask;
        var summary = await summaryTask;
        // The current summary is in the context already; an older copy of it recalled would say the same twice.
        recalls = recalls.Where(r => r.Kind != MemoryKinds.Summary || r.Text != summary?.Text).ToList();
        // An untrusted message (a forged e-mail sender) stays out of the prompt: the brain would read it as the lead's words.
        return Fit(KeyFactLines(profile, summary), summary?.Text, recalls, hot.Where(m => !m.IsUntrusted()).ToList(), budgetTokens);
    }

    /// <summary>
    /// Fits the parts to <paramref name="budget"/> tokens, each part costing <see cref="TokenEstimator.Count"/> of its
    /// text. Key facts and the newest message always stay. Over budget, the oldest recall goes first (recalls are older
    /// than every hot message), then the oldest hot messages, then the summary; a context still over budget after that
    /// (huge key facts or newest message) is returned with <see cref="ConversationContext.OverBudget"/> set.
    /// </summary>
    public static ConversationContext Fit(IReadOnlyList<string> keyFacts, string? summary, IReadOnlyList<Recall> recalls, IReadOnlyList<Message> messages, int budget)
    {
        var total = keyFacts.Sum(TokenEstimator.Count) + TokenEstimator.Count(summary);
        var keptRecalls = recalls.ToList();
        var keptMessages = messages.ToList();
        total += keptRecalls.Sum(r => TokenEstimator.Count(r.Text)) + keptMessages.Sum(m => TokenEstimator.Count(m.Text));

        var byAge = keptRecalls.OrderBy(r => r.Seq).ToList();
        foreach (var oldest in byAge)
        {
            if (total <= budget)
            {
                break;
            }

            keptRecalls.Remove(oldest);
            total -= TokenEstimator.Count(oldest.Text);
        }

        while (total > budget && keptMessages.Count > 1)
        {
            total -= TokenEstimator.Count(keptMessages[0].Text);
            keptMessages.RemoveAt(0);
        }

        if (total > budget && summary is not null)
        {
            total -= TokenEstimator.Count(summary);
            summary = null;
        }

        return new ConversationContext(keyFacts, summary, keptRecalls, keptMessages, total, budget);
    }

    /// <summary>The profile's facts as short lines; the summary's snapshot stands in while no profile is stored.</summary>
    public static IReadOnlyList<string> KeyFactLines(LeadProfile? profile, ConversationSummary? summary)
    {
        var facts = profile?.Facts ?? summary?.KeyFacts;
        var sentiment = profile?.Sentiment ?? summary?.Sentiment;
        var lines = new List<string>();
        if (facts is not null)
        {
            Add(lines, "name", facts.Name);
            Add(lines, "company", facts.Company);
            Add(lines, "role", facts.Role);
            Add(lines, "budget", facts.Budget);
            Add(lines, "timeline", facts.Timeline);
            Add(lines, "pain points", facts.PainPoints.Count == 0 ? null : string.Join("; ", facts.PainPoints));
            Add(lines, "email", facts.Email);
        }

        if (sentiment is { At: not null })
        {
            lines.Add($"sentiment: {sentiment.Label} (trend {sentiment.Trend.ToString("0.00", CultureInfo.InvariantCulture)})");
        }

        if (profile is { Turns: > 0 })
        {
            lines.Add($"lead temperature: {profile.Bant.Temperature}" + (profile.Disc.Primary is { } style ? $"; DISC {style}" : ""));
        }

        return lines;
    }

    private static void Add(List<string> lines, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            lines.Add($"{label}: {value}");
        }
    }
}
