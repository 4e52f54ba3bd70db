using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Memory;

/// <summary>
/// Summarises with the client's small chat model when one is configured: folding a few messages into bullet notes is
/// routine work, and a summary refresh runs for every active lead, so the large model would multiply its cost for no
/// gain. Every call is priced and recorded (purpose "summary"); a spent budget skips the model. Any failure (timeout,
/// budget, empty answer) falls back to the rules summarizer, so a refresh never leaves messages unsummarised because
/// the model was down. The messages and the summary so far are fenced as data (<see cref="PromptFence"/>); a summary
/// that repeats our instructions or holds a secret of the client or this process (an obeyed injection: the summary
/// feeds the reply prompt, the console and the API) is dropped for the rules summary, as a leaking reading is.
/// </summary>
public sealed class LlmSummarizer(
    IChatClient chat,
    RulesSummarizer rules,
    AiUsageTracker usage,
    IClientStore clients,
    ProcessSecrets processSecrets,
    IOptions<AiOptions> options,
    ILogger<LlmSummarizer> logger) : ISummarizer
{
    public const int MaxOutputTokens = 400;

    public const string SystemPrompt = """
        You keep a sales rep's notes on a lead. Update the summary with the new messages: the lead's needs, objections and
        open questions, per sales stage, as short bullet lines. Keep facts, drop small talk, never invent. At most 200 words.
        """;

    public async Task<string> SummarizeAsync(SummaryInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clientId = input.ClientId ?? "unknown";
        if (await usage.RemainingBudgetAsync(clientId, ct) is <= 0)
        {
            logger.LogInformation("Client {ClientId} has spent its AI budget; the rules summary is used", clientId);
            return await rules.SummarizeAsync(input, ct);
        }

        var model = options.Value.SmallChatModelFor(clientId);
        var messages = BuildMessages(input);
        var call = new AiCallContext(clientId, input.LeadId, AiPurpose.Summary);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await chat.GetResponseAsync(messages, new ChatOptions { ModelId = model, MaxOutputTokens = MaxOutputTokens, Temperature = 0 }, ct);
            var estimatedInput = TokenEstimator.CountPrompt(messages.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
            await usage.RecordAsync(call, response.ModelId ?? model, response.Usage, estimatedInput, TokenEstimator.Count(response.Text), Stopwatch.GetElapsedTime(started), true, CancellationToken.None);
            var text = response.Text?.Trim();
            if (!string.IsNullOrEmpty(text) && await LeaksAsync(clientId, input.LeadId, text, ct))
            {
                return await rules.SummarizeAsync(input, ct);
            }

            if (!string.IsNullOrEmpty(text))
            {
                return text.Length <= RulesSummarizer.MaxChars * 2 ? text : text[..(RulesSummarizer.MaxChars * 2)];
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "LLM summary failed; using the rules summary");
            if (e is not AiException { Failure: AiFailure.CircuitOpen })
            {
                await usage.RecordAsync(call, model, null, 0, 0, Stopwatch.GetElapsedTime(started), false, CancellationToken.None);
            }
        }

        return await rules.SummarizeAsync(input, ct);
    }

    /// <summary>True when the model's summary leaks (<see cref="PromptLeak"/>, with the client's and this process's secrets); logged and counted.</summary>
    private async Task<bool> LeaksAsync(string clientId, string? leadId, string summary, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        IReadOnlyCollection<string> secrets = [.. client is null ? [] : CompliancePolicy.SecretsOf(client), .. processSecrets.Values];
        if (PromptLeak.Find(summary, secrets) is not { Count: > 0 } leaks)
        {
            return false;
        }

        logger.LogWarning("Model summary of lead {LeadId} dropped ({Rules}); the rules summary is used", leadId, string.Join(", ", leaks.Select(l => l.RuleId)));
        SalesFlowMetrics.ComplianceVerdicts.Add(1, new TagList { { "verdict", "blocked" } });
        SalesFlowMetrics.AiFallbacks.Add(1, new TagList { { "reason", "summary leak" } });
        return true;
    }

    /// <summary>
    /// The summary prompt (also priced by the routing evaluation, tools/SalesFlow.RoutingEval): what the lead and we
    /// wrote, and the summary so far (written from it), are fenced as data.
    /// </summary>
    public static List<ChatMessage> BuildMessages(SummaryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var user = new StringBuilder();
        if (input.Previous.Length > 0)
        {
            user.AppendLine("Summary so far:").AppendLine(PromptFence.Fence("summary", input.Previous)).AppendLine();
        }

        user.AppendLine("New messages (oldest first):");
        user.Append(PromptFence.Fence("history", string.Join("\n", input.Messages.Select(m => $"[{m.Stage}] {(m.FromLead ? "Lead" : "Us")}: {m.Text.Trim()}"))));
        return
        [
            new(ChatRole.System, SystemPrompt.Trim() + "\n" + PromptFence.DataRule),
            new(ChatRole.User, user.ToString()),
        ];
    }
}
