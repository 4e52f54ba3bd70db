using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Outreach;

namespace SalesFlow.Core.Brain.Llm;

/// <summary>
/// First contacts and follow-up steps written by the small chat model (a short, routine text) for the lead's stage,
/// language and channel, with the conversation so far as context. Any failure (budget spent, error, deadline, empty or
/// refused answer) gives the rules brain's text instead; the caller passes either through the compliance filter.
/// </summary>
public sealed class LlmOutreachWriter(
    IChatClient chat,
    IConversationStore conversations,
    RulesOutreachWriter rules,
    AiUsageTracker usage,
    IOptions<AiOptions> options,
    ILogger<LlmOutreachWriter> logger) : IOutreachWriter
{
    public const string Source = "llm";
    private const int HistoryMessages = 12;

    public const string SystemPrompt = """
        You are SalesFlow, the friendly assistant of a business, writing ONE outbound message to a lead on the business's
        behalf. The lead has not written just now: this is either the first contact after they left their details, or a
        follow-up because they went quiet. Be warm, brief and personal; refer to what they were interested in or what was
        discussed; end with one easy question. Never state prices, discounts, guarantees, dates or features that are not in
        the conversation; no pressure or false urgency. Plain text only, no greeting line labels, no placeholders.
        """;

    public async Task<OutreachText> WriteAsync(OutreachRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await usage.RemainingBudgetAsync(request.ClientId, ct) is <= 0)
        {
            return await FallbackAsync(request, "budget spent", ct);
        }

        var model = options.Value.SmallChatModelFor(request.ClientId);
        var history = await conversations.ListMessagesAsync(request.ClientId, request.ConversationId, HistoryMessages, ct);
        var messages = BuildMessages(request, history.Where(m => !m.IsUntrusted()).ToList());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Value.ReplyDeadline);
        var context = new AiCallContext(request.ClientId, request.LeadId, AiPurpose.Outreach);
        var estimatedInput = TokenEstimator.CountPrompt(messages.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await chat.GetResponseAsync(messages, LlmReplyGenerator.ReplyChatOptions(model, request.Channel), deadline.Token);
            await usage.RecordAsync(context, response.ModelId ?? model, response.Usage, estimatedInput, TokenEstimator.Count(response.Text), Stopwatch.GetElapsedTime(started), true, CancellationToken.None);
            var text = LlmReplyGenerator.Clean(response.Text);
            if (response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().Any() || text.Length == 0)
            {
                return await FallbackAsync(request, "empty or refused answer", ct);
            }

            return new OutreachText(LlmReplyGenerator.FitToChannel(text, request.Channel), Source);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (e is not AiException { Failure: AiFailure.CircuitOpen })
            {
                await usage.RecordAsync(context, model, null, 0, 0, Stopwatch.GetElapsedTime(started), false, CancellationToken.None);
            }

            return await FallbackAsync(request, e is AiException ai ? ai.Failure.ToString() : e.GetType().Name, ct);
        }
    }

    private async Task<OutreachText> FallbackAsync(OutreachRequest request, string reason, CancellationToken ct)
    {
        logger.LogWarning("Model outreach for lead {LeadId} failed ({Reason}); the rules brain writes it", request.LeadId, reason);
        SalesFlowMetrics.AiFallbacks.Add(1, new TagList { { "reason", "outreach" } });
        return await rules.WriteAsync(request, ct);
    }

    public static List<ChatMessage> BuildMessages(OutreachRequest request, IReadOnlyList<Message> history)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = new StringBuilder();
        task.AppendLine($"Business: {request.ClientName}.");
        // The first name comes from the lead's form: data, fenced like the rest of what they wrote.
        task.AppendLine($"Stage: {request.State.ToWire()} ({SystemPrompts.StageGoal(request.State)})");
        task.AppendLine("The lead's first name:").AppendLine(PromptFence.Fence("lead_name", request.FirstName ?? "(unknown)"));
        task.AppendLine(request.Purpose == OutboxPurpose.FirstContact
            ? "Write the first contact: greet the lead by first name, thank them for their interest and name the business."
            : $"Write follow-up {request.Step + 1} of {request.Steps}: the lead has not answered the last message.{(request.Step + 1 == request.Steps ? " This is the last one: leave the door open, no more follow-ups will come." : "")}");
        if (request.Interest is { Length: > 0 } interest)
        {
            task.AppendLine("They were interested in:").AppendLine(PromptFence.Fence("form", interest));
        }

        if (request.FormMessage is { Length: > 0 } said)
        {
            task.AppendLine("They wrote on the form:").AppendLine(PromptFence.Fence("form", said));
        }

        task.AppendLine(request.Channel == ChannelKind.Email
            ? $"Channel: e-mail. At most {LlmReplyGenerator.EmailMaxChars} characters; sign off as the {request.ClientName} team."
            : $"Channel: {request.Channel.ToWire()}. At most 280 characters, one short paragraph.");
        task.AppendLine($"Language: {request.Language}.");
        if (history.Count > 0)
        {
            task.AppendLine("Conversation so far (oldest first):");
            task.AppendLine(PromptFence.Fence("history", string.Join("\n", history.Select(m => $"{(m.Direction == MessageDirection.Inbound ? "Lead" : "SalesFlow")}: {m.Text.Trim()}"))));
        }

        return [new ChatMessage(ChatRole.System, SystemPrompt.Trim() + "\n" + PromptFence.DataRule), new ChatMessage(ChatRole.User, task.ToString())];
    }
}
