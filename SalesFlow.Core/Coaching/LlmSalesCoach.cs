using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Coaching;

/// <summary>
/// The coach with a chat model (the large one: a rep's question is rare and worth it), streamed. Before the first token
/// any failure (budget spent, breaker open, error) hands the question to the rules playbook; a failure mid-stream ends
/// with the playbook's answer as the final chunk. The answer is streamed a sentence at a time through the output guard
/// (<see cref="PromptLeak"/>): an answer that repeats our instructions or a secret is cut off and the playbook answers.
/// Its literal tests only: advice to a rep may rightly retell the sales method our prompts describe.
/// </summary>
public sealed class LlmSalesCoach(
    IChatClient chat,
    RulesSalesCoach rules,
    AiUsageTracker usage,
    ProcessSecrets secrets,
    IOptions<AiOptions> options,
    ILogger<LlmSalesCoach> logger) : ISalesCoach
{
    public const string SystemPrompt = """
        You are SalesFlow's AI_COACH for a sales rep (not for the lead). The rep asks about one conversation. Answer from the
        conversation context only: where the deal stands, what the lead needs or objects to, and 2 to 4 concrete, honest
        next moves with a sample sentence the rep could send. Respect the lead's DISC style when known. Never suggest
        guarantees, invented prices or discounts, false urgency or pressure. Answer in the language of the rep's question,
        plain text, at most 150 words.
        """;

    public async IAsyncEnumerable<ReplyChunk> AskAsync(CoachRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        if (await usage.RemainingBudgetAsync(request.ClientId, ct) is <= 0)
        {
            await foreach (var chunk in rules.AskAsync(request, ct))
            {
                yield return chunk;
            }

            yield break;
        }

        var model = options.Value.ChatModelFor(request.ClientId);
        var messages = BuildMessages(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Value.ReplyDeadline);
        var context = new AiCallContext(request.ClientId, request.LeadId, AiPurpose.Coach);
        var started = Stopwatch.GetTimestamp();
        var stream = new ModelStream(chat.GetStreamingResponseAsync(messages, new ChatOptions { ModelId = model, MaxOutputTokens = 400, Temperature = 0.4f }, deadline.Token));
        var shown = false;
        await foreach (var chunk in SentenceHoldBack.Guard(WithFinal(stream, ct), soFar => PromptLeak.IsLiterallyClean(soFar, secrets.Values), ct))
        {
            if (!chunk.IsFinal)
            {
                shown = true;
                yield return chunk;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var written = stream.Text;
        var estimatedInput = TokenEstimator.CountPrompt(messages.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
        if (stream.Failure is null && PromptLeak.FindLiteral(written, secrets.Values) is { Count: > 0 } leaks)
        {
            logger.LogWarning("Coach answer withheld ({Rules}); the playbook answers", string.Join(", ", leaks.Select(l => l.RuleId)));
            SalesFlowMetrics.ComplianceVerdicts.Add(1, new TagList { { "verdict", "blocked" } });
            await usage.RecordAsync(context, stream.ModelId ?? model, stream.Usage, estimatedInput, TokenEstimator.Count(written), elapsed, true, CancellationToken.None);
            await foreach (var chunk in rules.AskAsync(request, ct))
            {
                if (chunk.IsFinal || !shown)
                {
                    yield return chunk;
                }
            }

            yield break;
        }

        if (stream.Failure is { } || written.Length == 0)
        {
            var failure = stream.Failure;
            logger.LogWarning("Coach model failed ({Message}); the playbook answers", failure?.Message ?? "empty answer");
            SalesFlowMetrics.AiFallbacks.Add(1, new TagList { { "reason", "coach" } });
            if (failure is not AiException { Failure: AiFailure.CircuitOpen })
            {
                await usage.RecordAsync(context, model, stream.Usage, 0, 0, elapsed, false, CancellationToken.None);
            }

            await foreach (var chunk in rules.AskAsync(request, ct))
            {
                if (chunk.IsFinal)
                {
                    yield return chunk;
                }
                else if (written.Length == 0)
                {
                    yield return chunk; // nothing was shown yet: stream the playbook instead
                }
            }

            yield break;
        }

        await usage.RecordAsync(context, model, stream.Usage, estimatedInput, TokenEstimator.Count(written), elapsed, true, CancellationToken.None);
        yield return ReplyChunk.Final(written.Trim());
    }

    private static async IAsyncEnumerable<ReplyChunk> WithFinal(ModelStream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var token in stream.TokensAsync(ct))
        {
            yield return ReplyChunk.Token(token);
        }

        yield return ReplyChunk.Final(stream.Text);
    }

    public static List<ChatMessage> BuildMessages(CoachRequest request)
    {
        var context = new StringBuilder();
        context.AppendLine($"Business: {request.ClientName}. Stage: {request.State.ToWire()} ({SystemPrompts.StageGoal(request.State)})");
        if (request.Profile is { } p)
        {
            context.AppendLine($"BANT: budget {p.Bant.Budget.Score:0.0}, authority {p.Bant.Authority.Score:0.0}, need {p.Bant.Need.Score:0.0}, timeline {p.Bant.Timeline.Score:0.0} ({p.Bant.Temperature}).");
            if (p.Disc.Primary is { } style)
            {
                context.AppendLine($"DISC: {style} (confidence {p.Disc.Confidence:0.00}).");
            }

            var facts = new[] { ("company", p.Facts.Company), ("role", p.Facts.Role), ("budget", p.Facts.Budget), ("timeline", p.Facts.Timeline) }
                .Where(f => f.Item2 is not null).Select(f => $"{f.Item1}: {f.Item2}").ToList();
            if (p.Facts.PainPoints.Count > 0)
            {
                facts.Add("pain points: " + string.Join("; ", p.Facts.PainPoints));
            }

            if (facts.Count > 0)
            {
                // The facts were read from the lead's words: data, fenced.
                context.AppendLine("Facts:").AppendLine(PromptFence.Fence("facts", string.Join(", ", facts)));
            }

            context.AppendLine($"Sentiment: {p.Sentiment.Label} (trend {p.Sentiment.Trend:0.00}).");
        }

        // The lead's words are data, fenced (PromptFence): an injection in them must not steer the coach.
        context.AppendLine("Conversation (oldest first):");
        context.AppendLine(PromptFence.Fence("history", string.Join("\n", request.History.Select(m => $"{(m.FromLead ? "Lead" : "SalesFlow")} ({m.Channel.ToWire()}): {m.Text.Trim()}"))));

        context.AppendLine().AppendLine("The rep asks:").Append(request.Question.Trim());
        return [new ChatMessage(ChatRole.System, SystemPrompt.Trim() + "\n" + PromptFence.DataRule), new ChatMessage(ChatRole.User, context.ToString())];
    }
}
