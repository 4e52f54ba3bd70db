using System.Runtime.CompilerServices;

namespace SalesFlow.Core.Brain;

/// <summary>
/// A piece of a streamed reply. Tokens (<see cref="IsFinal"/> false) are for the eyes of whoever watches live; the one
/// final chunk carries the complete reply as the generator settled it (cleaned, trimmed, or the rules brain's text
/// after a mid-stream failure), which is what goes on to the compliance filter and the outbox.
/// </summary>
public sealed record ReplyChunk(string Text, bool IsFinal)
{
    public static ReplyChunk Token(string text) => new(text, false);

    public static ReplyChunk Final(string text) => new(text, true);
}

public static class ReplyStreaming
{
    /// <summary>Streams a finished text word by word (each word with the space before it), then the final chunk.</summary>
    public static async IAsyncEnumerable<ReplyChunk> WordByWord(Task<string> text, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var reply = await text;
        foreach (var word in Words(reply))
        {
            ct.ThrowIfCancellationRequested();
            yield return ReplyChunk.Token(word);
        }

        yield return ReplyChunk.Final(reply);
    }

    /// <summary>Passes each token to <paramref name="onToken"/> as it comes and returns the final chunk's text.</summary>
    public static async Task<string> ForwardTokensAsync(IAsyncEnumerable<ReplyChunk> chunks, Func<string, CancellationToken, ValueTask> onToken, CancellationToken ct)
    {
        string? final = null;
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            if (chunk.IsFinal)
            {
                final = chunk.Text;
            }
            else
            {
                await onToken(chunk.Text, ct);
            }
        }

        return final ?? throw new InvalidOperationException("The reply stream ended without its final chunk.");
    }

    /// <summary>"Hi Anna, how" → "Hi", " Anna,", " how": concatenated they give the text back exactly.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1])))
            {
                if (i > start)
                {
                    yield return text[start..i];
                }

                start = i;
            }
        }
    }
}
