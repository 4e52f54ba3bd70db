using System.Runtime.CompilerServices;
using System.Text;
using SalesFlow.Core.Brain;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// Streams a reply sentence by sentence instead of token by token, so nothing reaches a watcher (the chat stream's
/// browser) before the output guard saw it: a token is held until its sentence is complete, then the text so far is
/// judged and the sentence's tokens are released together, or, when the text is not safe, withheld along with
/// everything after it. The final chunk passes unchanged (the caller judges the whole reply before storing it). The
/// cost is latency within a sentence, never more than one sentence; a leak split over several tokens cannot get out.
/// </summary>
public static class SentenceHoldBack
{
    /// <param name="isSafe">Judges the text written so far (every released sentence plus the new one).</param>
    public static async IAsyncEnumerable<ReplyChunk> Guard(IAsyncEnumerable<ReplyChunk> chunks, Func<string, bool> isSafe, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(isSafe);
        var soFar = new StringBuilder();
        var held = new List<string>();
        var withheld = false;
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            if (chunk.IsFinal)
            {
                if (!withheld && held.Count > 0 && isSafe(soFar.ToString()))
                {
                    foreach (var token in held)
                    {
                        yield return ReplyChunk.Token(token);
                    }
                }

                yield return chunk;
                yield break;
            }

            if (withheld)
            {
                continue;
            }

            held.Add(chunk.Text);
            soFar.Append(chunk.Text);
            if (!EndsSentence(chunk.Text))
            {
                continue;
            }

            if (!isSafe(soFar.ToString()))
            {
                withheld = true;
                continue;
            }

            foreach (var token in held)
            {
                yield return ReplyChunk.Token(token);
            }

            held.Clear();
        }
    }

    /// <summary>A token that ends a sentence or a line ("place.", " Lena!", "?\n").</summary>
    public static bool EndsSentence(string token)
    {
        var t = token.TrimEnd(' ', '\t');
        return t.Length > 0 && (t[^1] is '.' or '!' or '?' or '…' or '\n' or '\r' or ':' or ';');
    }
}
