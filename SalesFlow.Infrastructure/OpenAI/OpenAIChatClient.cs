using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using MeaiFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;
using OpenAIFinishReason = OpenAI.Chat.ChatFinishReason;
using SdkResponseFormat = OpenAI.Chat.ChatResponseFormat;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// <see cref="IChatClient"/> over the OpenAI 2.x SDK's ChatClient (Microsoft.Extensions.AI.OpenAI is not available here).
/// Maps messages (system, user, assistant with tool calls, tool results), options (model, temperature, top-p, max output
/// tokens, stop sequences, seed, penalties, JSON / JSON-schema response format, function tools, tool mode) and results
/// (text, refusal as <see cref="ErrorContent"/> with code "refusal", tool calls as <see cref="FunctionCallContent"/>,
/// usage as <see cref="UsageDetails"/>, finish reason). Streaming yields the text as it comes, tool calls once complete,
/// and the final usage chunk (the one with no choices) as <see cref="UsageContent"/>. Failures surface as
/// <see cref="Ai.AiException"/>.
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    public const string RefusalErrorCode = "refusal";

    private readonly OpenAIConnection _connection;
    private readonly ConcurrentDictionary<string, ChatClient> _clients = new(StringComparer.Ordinal);

    public OpenAIChatClient(OpenAIConnection connection, string? defaultModel = null)
    {
        _connection = connection;
        DefaultModel = defaultModel ?? connection.Options.ChatModel;
        Metadata = new ChatClientMetadata(connection.ProviderName, connection.Endpoint, DefaultModel);
    }

    public string DefaultModel { get; }

    public ChatClientMetadata Metadata { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<MeaiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? DefaultModel;
        var (sdkMessages, sdkOptions) = ToSdk(messages, options, this, model);
        ChatCompletion completion;
        try
        {
            completion = (await ClientFor(model).CompleteChatAsync(sdkMessages, sdkOptions, cancellationToken)).Value;
        }
        catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
        {
            throw OpenAIErrors.Map(e, _connection.ProviderName, "chat completion", model);
        }

        var contents = new List<AIContent>();
        foreach (var part in completion.Content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
            {
                contents.Add(new TextContent(part.Text) { RawRepresentation = part });
            }
        }

        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            contents.Add(new ErrorContent(completion.Refusal) { ErrorCode = RefusalErrorCode });
        }

        foreach (var call in completion.ToolCalls)
        {
            contents.Add(ToFunctionCall(call.Id, call.FunctionName, call.FunctionArguments.ToString(), call));
        }

        return new ChatResponse(new MeaiChatMessage(ChatRole.Assistant, contents) { MessageId = completion.Id, RawRepresentation = completion })
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = ToUsage(completion.Usage),
            RawRepresentation = completion,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<MeaiChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? DefaultModel;
        var (sdkMessages, sdkOptions) = ToSdk(messages, options, this, model);
        IAsyncEnumerator<StreamingChatCompletionUpdate> updates;
        try
        {
            updates = ClientFor(model).CompleteChatStreamingAsync(sdkMessages, sdkOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
        {
            throw OpenAIErrors.Map(e, _connection.ProviderName, "streaming chat completion", model);
        }

        var toolCalls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        var refusal = new StringBuilder();
        string? responseId = null, modelId = null;
        DateTimeOffset? createdAt = null;
        try
        {
            while (true)
            {
                StreamingChatCompletionUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
                {
                    throw OpenAIErrors.Map(e, _connection.ProviderName, "streaming chat completion", model);
                }

                responseId ??= update.CompletionId;
                modelId ??= update.Model;
                createdAt ??= update.CreatedAt;
                var contents = new List<AIContent>();
                foreach (var part in update.ContentUpdate)
                {
                    if (part.Kind == ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
                    {
                        contents.Add(new TextContent(part.Text));
                    }
                }

                if (!string.IsNullOrEmpty(update.RefusalUpdate))
                {
                    refusal.Append(update.RefusalUpdate);
                }

                foreach (var call in update.ToolCallUpdates)
                {
                    if (!toolCalls.TryGetValue(call.Index, out var acc))
                    {
                        acc = (null, null, new StringBuilder());
                    }

                    acc.Id ??= call.ToolCallId;
                    acc.Name ??= call.FunctionName;
                    if (call.FunctionArgumentsUpdate is { } args && !args.IsEmpty)
                    {
                        acc.Arguments.Append(args.ToString());
                    }

                    toolCalls[call.Index] = acc;
                }

                if (update.FinishReason is not null)
                {
                    if (refusal.Length > 0)
                    {
                        contents.Add(new ErrorContent(refusal.ToString()) { ErrorCode = RefusalErrorCode });
                        refusal.Clear();
                    }

                    foreach (var (_, acc) in toolCalls)
                    {
                        contents.Add(ToFunctionCall(acc.Id ?? string.Empty, acc.Name ?? string.Empty, acc.Arguments.ToString(), null));
                    }

                    toolCalls.Clear();
                }

                if (update.Usage is { } usage)
                {
                    contents.Add(new UsageContent(ToUsage(usage)!));
                }

                if (contents.Count == 0 && update.FinishReason is null && update.Role is null)
                {
                    continue;
                }

                yield return new ChatResponseUpdate(update.Role is null ? null : ChatRole.Assistant, contents)
                {
                    ResponseId = responseId,
                    MessageId = responseId,
                    ModelId = modelId,
                    CreatedAt = createdAt,
                    FinishReason = update.FinishReason is { } reason ? ToFinishReason(reason) : null,
                    RawRepresentation = update,
                };
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType == typeof(OpenAIConnection) ? _connection
            : null;
    }

    public void Dispose()
    {
        // The connection is shared and owned by the container.
    }

    private ChatClient ClientFor(string model) => _clients.GetOrAdd(model, m => _connection.Client.GetChatClient(m));

    /// <summary>
    /// Reasoning models (the o-series, gpt-5 and later) refuse any temperature but their default with a 400, so none is
    /// sent to them; the prompts do not depend on it. A deployment name that hides the model (Azure lets you name it
    /// anything) is treated as the model it looks like; name deployments after their model.
    /// </summary>
    internal static bool IsReasoningModel(string model)
    {
        var name = model.Trim().ToLowerInvariant();
        if (name.Length >= 2 && name[0] == 'o' && char.IsAsciiDigit(name[1]))
        {
            return true; // o1, o3-mini, o4-mini …
        }

        if (!name.StartsWith("gpt-", StringComparison.Ordinal))
        {
            return false;
        }

        // Azure writes GPT-3.5 as "gpt-35".
        var digits = new string(name.Skip(4).TakeWhile(char.IsAsciiDigit).ToArray());
        return digits != "35" && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation) && generation >= 5;
    }

    internal static (List<OpenAIChatMessage> Messages, ChatCompletionOptions Options) ToSdk(IEnumerable<MeaiChatMessage> messages, ChatOptions? options, IChatClient client, string model)
    {
        var result = new List<OpenAIChatMessage>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            result.Add(new SystemChatMessage(options.Instructions));
        }

        foreach (var message in messages)
        {
            var role = message.Role;
            if (role == ChatRole.System)
            {
                result.Add(new SystemChatMessage(message.Text));
            }
            else if (role == ChatRole.User)
            {
                result.Add(new UserChatMessage(message.Text));
            }
            else if (role == ChatRole.Assistant)
            {
                var calls = message.Contents.OfType<FunctionCallContent>().Select(ToToolCall).ToList();
                if (calls.Count == 0)
                {
                    result.Add(new AssistantChatMessage(message.Text));
                }
                else
                {
                    var assistant = new AssistantChatMessage(calls);
                    if (!string.IsNullOrEmpty(message.Text))
                    {
                        assistant.Content.Add(ChatMessageContentPart.CreateTextPart(message.Text));
                    }

                    result.Add(assistant);
                }
            }
            else if (role == ChatRole.Tool)
            {
                foreach (var output in message.Contents.OfType<FunctionResultContent>())
                {
                    result.Add(new ToolChatMessage(output.CallId, output.Result switch
                    {
                        null => string.Empty,
                        string s => s,
                        JsonElement j => j.ValueKind == JsonValueKind.String ? j.GetString()! : j.GetRawText(),
                        var other => JsonSerializer.Serialize(other),
                    }));
                }
            }
            else
            {
                throw new ArgumentException($"Chat role '{role}' is not supported by the OpenAI adapter.", nameof(messages));
            }
        }

        // RawRepresentationFactory (the Microsoft.Extensions.AI convention) may supply SDK options to start from.
        var sdk = options?.RawRepresentationFactory?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
        if (options is null)
        {
            return (result, sdk);
        }

        sdk.Temperature = IsReasoningModel(model) ? null : options.Temperature ?? sdk.Temperature;
        sdk.TopP = options.TopP ?? sdk.TopP;
        sdk.MaxOutputTokenCount = options.MaxOutputTokens ?? sdk.MaxOutputTokenCount;
        sdk.FrequencyPenalty = options.FrequencyPenalty ?? sdk.FrequencyPenalty;
        sdk.PresencePenalty = options.PresencePenalty ?? sdk.PresencePenalty;
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK
        sdk.Seed = options.Seed ?? sdk.Seed;
#pragma warning restore OPENAI001
        foreach (var stop in options.StopSequences ?? [])
        {
            sdk.StopSequences.Add(stop);
        }

        sdk.ResponseFormat = options.ResponseFormat switch
        {
            null => sdk.ResponseFormat,
            ChatResponseFormatText => SdkResponseFormat.CreateTextFormat(),
            ChatResponseFormatJson { Schema: { } schema } json => SdkResponseFormat.CreateJsonSchemaFormat(
                string.IsNullOrWhiteSpace(json.SchemaName) ? "response" : json.SchemaName,
                BinaryData.FromString(schema.GetRawText()),
                json.SchemaDescription,
                jsonSchemaIsStrict: true),
            ChatResponseFormatJson => SdkResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };

        foreach (var tool in options.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration function)
            {
                sdk.Tools.Add(ChatTool.CreateFunctionTool(function.Name, function.Description, BinaryData.FromString(function.JsonSchema.GetRawText())));
            }
        }

        if (sdk.Tools.Count > 0)
        {
            sdk.ToolChoice = options.ToolMode switch
            {
                NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
                _ => null,
            };
            sdk.AllowParallelToolCalls = options.AllowMultipleToolCalls;
        }

        return (result, sdk);
    }

    private static ChatToolCall ToToolCall(FunctionCallContent call) =>
        call.RawRepresentation as ChatToolCall
        ?? ChatToolCall.CreateFunctionToolCall(call.CallId, call.Name, BinaryData.FromString(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>())));

    private static FunctionCallContent ToFunctionCall(string id, string name, string arguments, object? raw)
    {
        Dictionary<string, object?>? args = null;
        Exception? error = null;
        try
        {
            args = string.IsNullOrWhiteSpace(arguments) ? [] : JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments);
        }
        catch (JsonException e)
        {
            error = e;
        }

        return new FunctionCallContent(id, name, args) { Exception = error, RawRepresentation = raw };
    }

    internal static UsageDetails? ToUsage(ChatTokenUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
        CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
        ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
    };

    private static MeaiFinishReason? ToFinishReason(OpenAIFinishReason reason) => reason switch
    {
        OpenAIFinishReason.Stop => MeaiFinishReason.Stop,
        OpenAIFinishReason.Length => MeaiFinishReason.Length,
        OpenAIFinishReason.ContentFilter => MeaiFinishReason.ContentFilter,
        OpenAIFinishReason.ToolCalls or OpenAIFinishReason.FunctionCall => MeaiFinishReason.ToolCalls,
        _ => null,
    };
}
