using System.Text.RegularExpressions;

namespace SalesFlow.Core.Common;

/// <summary>
/// Estimates how many tokens the gpt-4o family (o200k vocabulary; cl100k models count within a few per cent of it
/// for English and German prose) bills for a text, a chat request or a completion, without a tokenizer: the text is
/// split with the o200k pre-tokenizer pattern (words with their leading space and contraction, digit groups of up to
/// three, punctuation runs, whitespace runs) and each piece is priced: a word of up to nine letters is one token (a
/// 200k vocabulary holds nearly every common word whole; a capitalised one of seven or more letters, mostly a name,
/// counts two), a longer one one more per four further letters, a
/// punctuation run one per three characters. Chat framing follows OpenAI's published counting: 3 tokens per message,
/// 1 per name, 3 to prime the reply; function definitions are counted in the compact form the model sees them in.
/// Checked against the usage figures of the recorded OpenAI exchanges (SalesFlow.Tests, TokenEstimatorTests): within 10 %.
/// </summary>
public static partial class TokenEstimator
{
    private const int LettersPerWholeWord = 9;
    private const int LettersPerExtraToken = 4;

    public const int TokensPerMessage = 3;
    public const int TokensPerName = 1;
    public const int ReplyPriming = 3;

    /// <summary>Tokens of plain text (an embedding input, a message's content).</summary>
    public static int Count(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var total = 0;
        foreach (var match in PreTokenizer().EnumerateMatches(text))
        {
            total += Price(text.AsSpan(match.Index, match.Length));
        }

        return total;
    }

    /// <summary>Prompt tokens of a chat request: messages (role, content, name, tool calls) and tool definitions.</summary>
    public static int CountPrompt(IEnumerable<EstimatedMessage> messages, IEnumerable<EstimatedTool>? tools = null)
    {
        var total = ReplyPriming;
        foreach (var m in messages)
        {
            total += TokensPerMessage + Count(m.Role) + Count(m.Content);
            if (!string.IsNullOrEmpty(m.Name))
            {
                total += Count(m.Name) + TokensPerName;
            }

            foreach (var call in m.ToolCalls ?? [])
            {
                // A tool call in the history costs its name and arguments plus the call framing (id, type); a legacy function_call only the first two.
                total += Count(call.Name) + Count(call.Arguments) + (call.Legacy ? 0 : 13);
            }
        }

        return total + CountTools(tools);
    }

    /// <summary>Completion tokens of an answer: its text and any tool calls (several at once are wrapped in one parallel call).</summary>
    public static int CountCompletion(string? content, IReadOnlyList<EstimatedToolCall>? toolCalls = null)
    {
        var total = Count(content);
        if (toolCalls is null || toolCalls.Count == 0)
        {
            return total;
        }

        var calls = toolCalls.Sum(c => Count(c.Name) + Count(c.Arguments));
        return total + calls + (toolCalls.Count == 1 ? 3 : 6 + (8 * toolCalls.Count));
    }

    /// <summary>Function definitions as the model sees them: "name:description", then "param:type:description" per parameter.</summary>
    public static int CountTools(IEnumerable<EstimatedTool>? tools)
    {
        var list = tools?.ToList() ?? [];
        if (list.Count == 0)
        {
            return 0;
        }

        var total = 0;
        foreach (var tool in list)
        {
            total += 7 + Count($"{tool.Name}:{tool.Description?.TrimEnd('.')}");
            if (tool.Parameters.Count > 0)
            {
                total += 3;
                foreach (var p in tool.Parameters)
                {
                    total += 3 + Count($"{p.Name}:{p.Type}:{p.Description}");
                }
            }
        }

        return total + 8;
    }

    private static int Price(ReadOnlySpan<char> piece)
    {
        var core = piece.TrimStart(' ');
        if (core.IsEmpty)
        {
            return 1; // a run of spaces
        }

        var letters = 0;
        var firstLetter = -1;
        for (var i = 0; i < core.Length; i++)
        {
            if (char.IsLetter(core[i]) || IsMark(core[i]))
            {
                letters++;
                if (firstLetter < 0)
                {
                    firstLetter = i;
                }
            }
        }

        if (letters > 0)
        {
            var word = letters <= LettersPerWholeWord ? 1 : 1 + ((letters - LettersPerWholeWord + LettersPerExtraToken - 1) / LettersPerExtraToken);
            if (letters is >= 7 and <= LettersPerWholeWord && char.IsUpper(core[firstLetter]) && firstLetter + 1 < core.Length && char.IsLower(core[firstLetter + 1]))
            {
                word++; // a capitalised longer word is mostly a name or product ("Karachi", "Pepperoni"), which the vocabulary splits
            }

            return word + (firstLetter > 0 ? 1 : 0); // "(word" or "-based": the leading symbol is a token of its own
        }

        if (char.IsDigit(core[0]) || core.IsWhiteSpace())
        {
            return 1;
        }

        return Math.Max(1, (core.Length + 2) / 3);
    }

    private static bool IsMark(char c) => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    // The o200k pre-tokenizer (tiktoken), without its possessive quantifiers, which .NET lacks and which change no split here.
    [GeneratedRegex(
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
        + @"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
        + @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        RegexOptions.CultureInvariant)]
    private static partial Regex PreTokenizer();
}

/// <summary>A chat message as the estimator sees it.</summary>
public sealed record EstimatedMessage(string Role, string? Content, string? Name = null, IReadOnlyList<EstimatedToolCall>? ToolCalls = null);

/// <param name="Legacy">A pre-tools function_call (no id, no type).</param>
public sealed record EstimatedToolCall(string Name, string Arguments, bool Legacy = false);

public sealed record EstimatedTool(string Name, string? Description, IReadOnlyList<EstimatedToolParameter> Parameters);

public sealed record EstimatedToolParameter(string Name, string Type, string? Description);
