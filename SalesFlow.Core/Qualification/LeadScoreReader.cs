using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// Reads a lead's score features from the stores (its profile, conversation and recent messages) and scores them with the
/// priors. The routes read the stored score instead (<see cref="ILeadScoreStore"/>, written by <see cref="LeadScoreRefresher"/>,
/// which uses <see cref="Features"/>); this stays for callers that want a fresh prior reading.
/// </summary>
public sealed class LeadScoreReader(IConversationStore conversations, TimeProvider clock)
{
    /// <summary>Messages read for engagement and latency: enough for any live conversation, bounded for a long one.</summary>
    public const int MessageWindow = 200;

    public async Task<(LeadScoreFeatures Features, LeadScoreResult Score)> ReadAsync(string clientId, string leadId, LeadProfile? profile, DateTimeOffset leadCreatedAt, CancellationToken ct)
    {
        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct);
        IReadOnlyList<Message> messages = conversation is null ? [] : await conversations.ListMessagesAsync(clientId, conversation.Id, MessageWindow, ct);
        var features = Features(profile, conversation, messages, leadCreatedAt, clock.GetUtcNow());
        return (features, LeadScore.Compute(features));
    }

    public static LeadScoreFeatures Features(LeadProfile? profile, Conversation? conversation, IReadOnlyList<Message> messages, DateTimeOffset leadCreatedAt, DateTimeOffset now)
    {
        var ordered = messages.OrderBy(m => m.CreatedAt).ToList();
        var fromLead = ordered.Count(m => m.Direction == MessageDirection.Inbound);
        var lastActivity = ordered.Count > 0 ? ordered[^1].CreatedAt : conversation?.LastInboundAt ?? leadCreatedAt;
        return new LeadScoreFeatures(
            profile?.Bant.Overall ?? 0,
            fromLead,
            MedianLatencyMinutes(ordered),
            profile?.Sentiment.Trend ?? 0,
            conversation?.State,
            Math.Round(Math.Max(0, (now - lastActivity).TotalDays), 2));
    }

    /// <summary>Minutes between each message of ours and the lead's next message, median; null when the lead never answered one.</summary>
    public static double? MedianLatencyMinutes(IReadOnlyList<Message> ordered)
    {
        List<double> gaps = [];
        DateTimeOffset? waitingSince = null;
        foreach (var m in ordered)
        {
            if (m.Direction == MessageDirection.Inbound)
            {
                if (waitingSince is { } since)
                {
                    gaps.Add(Math.Max(0, (m.CreatedAt - since).TotalMinutes));
                    waitingSince = null;
                }
            }
            else
            {
                waitingSince ??= m.CreatedAt;
            }
        }

        if (gaps.Count == 0)
        {
            return null;
        }

        gaps.Sort();
        var mid = gaps.Count / 2;
        return Math.Round(gaps.Count % 2 == 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2, 1);
    }
}
