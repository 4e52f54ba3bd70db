using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Brain.Llm;

/// <summary>
/// Reads a model's streamed answer: yields its text pieces as they arrive and keeps what the
/// caller needs afterwards (the whole text, reported usage, model id, a refusal, a failure).
/// A failure ends the stream instead of throwing, so the caller can answer with the rules brain.
/// </summary>
internal sealed class ModelStream(IAsyncEnumerable<ChatResponseUpdate> updates)
{
    private readonly StringBuilder _written = new();

    public string Text => _written.ToString();
    public UsageDetails? Usage { get; private set; }
    public string? ModelId { get; private set; }
    public bool Refused { get; private set; }
    public Exception? Failure { get; private set; }

    /// <param name="callerToken">Cancellation by the caller ends the stream with an exception; any other failure (a deadline included) is recorded.</param>
    public async IAsyncEnumerable<string> TokensAsync([EnumeratorCancellation] CancellationToken callerToken)
    {
        var timeline = StreamTimeline.Current;
        timeline?.MarkUpstreamRequest();
        var enumerator = updates.GetAsyncEnumerator(callerToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync())
                    {
                        yield break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception e) when (e is not OperationCanceledException || !callerToken.IsCancellationRequested)
                {
                    Failure = e;
                    yield break;
                }

                ModelId ??= update.ModelId;
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case UsageContent u:
                            Usage = u.Details;
                            break;
                        case ErrorContent:
                            Refused = true;
                            break;
                    }
                }

                var text = string.Concat(update.Contents.OfType<TextContent>().Select(t => t.Text));
                if (text.Length > 0)
                {
                    timeline?.MarkUpstreamToken();
                    _written.Append(text);
                    yield return text;
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
            timeline?.MarkUpstreamDone();
        }
    }
}
