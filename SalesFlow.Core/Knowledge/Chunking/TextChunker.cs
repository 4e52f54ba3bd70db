using System.Text;
using SalesFlow.Core.Common;

namespace SalesFlow.Core.Knowledge.Chunking;

/// <summary>A chunk of a document: its text (with the section heading it sits under) and its token estimate.</summary>
public sealed record TextChunk(int Ordinal, string Text, int Tokens);

/// <summary>
/// Splits a document into chunks of at most <c>maxTokens</c>, breaking preferably at headings, then
/// paragraphs, then sentences, and only as a last resort inside a sentence. A chunk that continues
/// a section repeats the section heading and the last ~<c>overlapTokens</c> of the previous chunk
/// (whole sentences where they fit), so a fact split across a boundary is still found with its context.
/// </summary>
public sealed class TextChunker(int maxTokens = 500, int overlapTokens = 50)
{
    private enum Break
    {
        Heading,
        Paragraph,
        Sentence,
    }

    private sealed record Unit(string Text, int Tokens, Break Before);

    public int MaxTokens { get; } = maxTokens;
    public int OverlapTokens { get; } = Math.Min(overlapTokens, maxTokens / 4);

    /// <summary>Headings are capped so that heading + overlap + a body unit always fits in a chunk.</summary>
    private int HeadingCap => Math.Max(8, MaxTokens / 10);

    public IReadOnlyList<TextChunk> Chunk(string content, string contentType) => Chunk(DocumentBlocks.Parse(content, contentType));

    public IReadOnlyList<TextChunk> Chunk(IReadOnlyList<DocumentBlock> blocks)
    {
        var chunks = new List<TextChunk>();
        var current = new List<Unit>();
        var bodyTokens = 0;
        var hasBody = false;
        Unit? heading = null;

        void Flush()
        {
            if (hasBody)
            {
                var text = string.Join("\n\n", current.Select(u => u.Text));
                chunks.Add(new TextChunk(chunks.Count, text, TokenEstimator.Count(text)));
            }

            current.Clear();
            bodyTokens = 0;
            hasBody = false;
        }

        foreach (var unit in Units(blocks))
        {
            if (unit.Before == Break.Heading)
            {
                // A heading straight under another ("# Pricing", "## Starter") keeps both while they fit.
                if (!hasBody && heading is not null && current.Count == 1 && heading.Tokens + unit.Tokens <= HeadingCap)
                {
                    heading = new Unit(heading.Text + "\n" + unit.Text, heading.Tokens + unit.Tokens, Break.Heading);
                    current[0] = heading;
                    bodyTokens = heading.Tokens;
                    continue;
                }

                Flush();
                heading = unit;
                current.Add(heading);
                bodyTokens = heading.Tokens;
                continue;
            }

            if (hasBody && bodyTokens + unit.Tokens > MaxTokens)
            {
                var overlap = Overlap(current, MaxTokens - unit.Tokens - (heading?.Tokens ?? 0));
                Flush();
                if (heading is not null)
                {
                    current.Add(heading);
                    bodyTokens += heading.Tokens;
                }

                current.AddRange(overlap);
                bodyTokens += overlap.Sum(u => u.Tokens);
            }

            current.Add(unit);
            bodyTokens += unit.Tokens;
            hasBody = true;
        }

        Flush();
        return chunks;
    }

    /// <summary>The trailing body of a chunk, up to the overlap budget: whole sentences, or the last words of a long one.</summary>
    private List<Unit> Overlap(List<Unit> chunk, int room)
    {
        var budget = Math.Min(OverlapTokens, room);
        var taken = new List<Unit>();
        var used = 0;
        for (var i = chunk.Count - 1; i >= 0 && chunk[i].Before != Break.Heading; i--)
        {
            if (used + chunk[i].Tokens > budget)
            {
                if (taken.Count == 0 && budget > 0)
                {
                    taken.Add(TailWords(chunk[i].Text, budget));
                }

                break;
            }

            taken.Insert(0, chunk[i] with { Before = Break.Sentence });
            used += chunk[i].Tokens;
        }

        return taken.Where(u => u.Tokens > 0).ToList();
    }

    private static Unit TailWords(string text, int budget)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = words.Length;
        var used = 0;
        while (start > 0 && used + TokenEstimator.Count(words[start - 1]) <= budget)
        {
            start--;
            used += TokenEstimator.Count(words[start]);
        }

        return new Unit(string.Join(' ', words[start..]), used, Break.Sentence);
    }

    private IEnumerable<Unit> Units(IReadOnlyList<DocumentBlock> blocks)
    {
        // Room a body unit may take so that heading + overlap + unit never exceeds the maximum.
        var headingCap = HeadingCap;
        var unitCap = MaxTokens - OverlapTokens - headingCap;
        foreach (var block in blocks)
        {
            if (block.IsHeading)
            {
                var text = new string('#', block.HeadingLevel) + " " + block.Text;
                var capped = Split(text, headingCap).First();
                yield return new Unit(capped.Text, capped.Tokens, Break.Heading);
                continue;
            }

            var tokens = TokenEstimator.Count(block.Text);
            if (tokens <= unitCap)
            {
                yield return new Unit(block.Text, tokens, Break.Paragraph);
                continue;
            }

            var first = true;
            foreach (var sentence in Sentences(block.Text))
            {
                foreach (var piece in Split(sentence, unitCap))
                {
                    yield return new Unit(piece.Text, piece.Tokens, first ? Break.Paragraph : Break.Sentence);
                    first = false;
                }
            }
        }
    }

    /// <summary>Sentences end at . ! ? (or their CJK forms) followed by whitespace; the mark stays with its sentence.</summary>
    internal static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isEnd = c is '.' or '!' or '?' or '。' or '！' or '？';
            if (isEnd && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])) && !IsAbbreviation(text, start, i))
            {
                var sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0)
                {
                    yield return sentence;
                }

                start = i + 1;
            }
        }

        if (text[start..].Trim() is { Length: > 0 } rest)
        {
            yield return rest;
        }
    }

    private static bool IsAbbreviation(string text, int start, int dot)
    {
        // "e.g. x", "Dr. Smith", "approx. 3": a short lower-case or title word before the dot is not a sentence end.
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        var word = text[wordStart..dot];
        return text[dot] == '.' && (word.Contains('.') || word is "Dr" or "Mr" or "Mrs" or "Ms" or "St" or "vs" or "approx" or "etc" or "No" or "Nr" or "z.B" or "ca" || (word.Length == 1 && char.IsUpper(word[0])));
    }

    /// <summary>Hard split by words when even one sentence is longer than the budget.</summary>
    private static IEnumerable<(string Text, int Tokens)> Split(string text, int budget)
    {
        var tokens = TokenEstimator.Count(text);
        if (tokens <= budget)
        {
            yield return (text, tokens);
            yield break;
        }

        var piece = new StringBuilder();
        var used = 0;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var wordTokens = TokenEstimator.Count(word);
            if (wordTokens > budget)
            {
                // A "word" longer than the budget (a URL, a base64 blob): cut it by characters.
                foreach (var part in word.Chunk(budget).Select(c => new string(c)))
                {
                    if (used > 0)
                    {
                        yield return (piece.ToString(), used);
                        piece.Clear();
                        used = 0;
                    }

                    yield return (part, TokenEstimator.Count(part));
                }

                continue;
            }

            if (used + wordTokens > budget && used > 0)
            {
                yield return (piece.ToString(), used);
                piece.Clear();
                used = 0;
            }

            piece.Append(piece.Length > 0 ? " " : "").Append(word);
            used += wordTokens;
        }

        if (used > 0)
        {
            yield return (piece.ToString(), used);
        }
    }
}
