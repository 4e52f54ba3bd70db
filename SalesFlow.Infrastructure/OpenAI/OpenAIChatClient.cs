using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// SalesFlow's <see cref="IChatClient"/>: the official adapter (Microsoft.Extensions.AI.OpenAI's
/// <c>ChatClient.AsIChatClient()</c>) over the OpenAI / Azure OpenAI SDK client of <see cref="OpenAIConnection"/>, which
/// maps messages, tool calls, refusals (an <see cref="ErrorContent"/> with code <see cref="RefusalErrorCode"/>), usage and
/// the final streamed usage chunk. What stays ours, and why:
/// <list type="bullet">
/// <item>one SDK client per model: <c>ChatOptions.ModelId</c> comes from the model router, and Azure addresses a deployment
/// by its URL (…/deployments/{name}/…), which the adapter's per-call model override (a JSON body patch) cannot change;</item>
/// <item>no temperature for reasoning models (<see cref="IsReasoningModel"/>): they answer 400 to any but their default and
/// the adapter passes it through;</item>
/// <item>JSON-schema answers are strict unless the caller says otherwise: the adapter sends strict only when asked
/// through AdditionalProperties, and the brain's structured answers rely on it;</item>
/// <item>failures become <see cref="Core.Ai.AiException"/> (<see cref="OpenAIErrors"/>), on which the brain decides to fall back.</item>
/// </list>
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    /// <summary>The <see cref="ErrorContent.ErrorCode"/> the adapter gives a refusal.</summary>
    public const string RefusalErrorCode = "Refusal";

    private const string StrictKey = "strict";

    private readonly OpenAIConnection _connection;
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    public OpenAIChatClient(OpenAIConnection connection, string? defaultModel = null)
    {
        _connection = connection;
        DefaultModel = defaultModel ?? connection.Options.ChatModel;
        Metadata = new ChatClientMetadata(connection.ProviderName, connection.Endpoint, DefaultModel);
    }

    public string DefaultModel { get; }

    public ChatClientMetadata Metadata { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? DefaultModel;
        try
        {
            return await ClientFor(model).GetResponseAsync(messages, Adjust(options, model), cancellationToken);
        }
        catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
        {
            throw OpenAIErrors.Map(e, _connection.ProviderName, "chat completion", model);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? DefaultModel;
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = ClientFor(model).GetStreamingResponseAsync(messages, Adjust(options, model), cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
        {
            throw OpenAIErrors.Map(e, _connection.ProviderName, "streaming chat completion", model);
        }

        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
                {
                    throw OpenAIErrors.Map(e, _connection.ProviderName, "streaming chat completion", model);
                }

                yield return updates.Current;
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
            : ClientFor(DefaultModel).GetService(serviceType);
    }

    public void Dispose()
    {
        // The connection is shared and owned by the container; the adapters hold nothing of their own.
    }

    private IChatClient ClientFor(string model) => _clients.GetOrAdd(model, m => _connection.Client.GetChatClient(m).AsIChatClient());

    private static ChatOptions? Adjust(ChatOptions? options, string model)
    {
        if (options is null)
        {
            return null;
        }

        var strictMissing = options.ResponseFormat is ChatResponseFormatJson { Schema: not null } && options.AdditionalProperties?.ContainsKey(StrictKey) != true;
        var dropTemperature = options.Temperature is not null && IsReasoningModel(model);
        if (!strictMissing && !dropTemperature)
        {
            return options;
        }

        var adjusted = options.Clone();
        if (dropTemperature)
        {
            adjusted.Temperature = null;
        }

        if (strictMissing)
        {
            adjusted.AdditionalProperties = options.AdditionalProperties?.Clone() ?? [];
            adjusted.AdditionalProperties[StrictKey] = true;
        }

        return adjusted;
    }

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
}
