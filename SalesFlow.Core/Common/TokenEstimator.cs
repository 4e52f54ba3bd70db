namespace SalesFlow.Core.Common;

/// <summary>
/// Estimates cl100k-style token counts without a tokenizer package (none can be restored here).
/// Counting is per whitespace-separated word, so the count of a text joined with whitespace is the
/// sum of its parts: chunkers can add up pieces without recounting. It errs on the high side,
/// which is the safe side for budgets.
/// </summary>
public static class TokenEstimator
{
    public static int Estimate(string? text) => text is null ? 0 : Estimate(text.AsSpan());

    public static int Estimate(ReadOnlySpan<char> text)
    {
        var tokens = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (IsWordLetter(c))
            {
                while (i < text.Length && IsWordLetter(text[i]))
                {
                    i++;
                }

                // Common English words are one token; longer ones split into pieces of about five letters.
                tokens += (i - start + 4) / 5;
            }
            else if (char.IsDigit(c))
            {
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }

                // cl100k splits numbers into groups of up to three digits.
                tokens += (i - start + 2) / 3;
            }
            else
            {
                // Punctuation, symbols and scripts without spaces (CJK): about one token per character.
                tokens++;
                i++;
            }
        }

        return tokens;
    }

    private static bool IsWordLetter(char c) => c < 0x250 && char.IsLetter(c);
}
