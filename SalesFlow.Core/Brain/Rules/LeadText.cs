using System.Globalization;
using System.Text;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>A lead message split into lower-case tokens plus the surface features the rules need.</summary>
internal sealed class LeadText
{
    private LeadText(string original, List<string> tokens, List<string> originalTokens)
    {
        Original = original;
        Tokens = tokens;
        OriginalTokens = originalTokens;
    }

    public string Original { get; }

    /// <summary>Lower-case word tokens; apostrophes are removed ("don't" → "dont"), hyphens split.</summary>
    public List<string> Tokens { get; }

    /// <summary>The same tokens in their original casing.</summary>
    public List<string> OriginalTokens { get; }

    public int QuestionMarks { get; private init; }

    public int ExclamationMarks { get; private init; }

    public bool HasCurrencySign { get; private init; }

    public static LeadText Parse(string? text)
    {
        text ??= string.Empty;
        var tokens = new List<string>();
        var original = new List<string>();
        var current = new StringBuilder();
        int questions = 0, exclamations = 0;
        var currency = false;

        void Flush()
        {
            if (current.Length > 0)
            {
                var word = current.ToString();
                original.Add(word);
                tokens.Add(word.ToLower(CultureInfo.InvariantCulture));
                current.Clear();
            }
        }

        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
                continue;
            }

            if (c is '\'' or '’' or '‘' or '`' or '´')
            {
                continue; // don't → dont, geht's → gehts
            }

            Flush();
            switch (c)
            {
                case '?': questions++; break;
                case '!': exclamations++; break;
                case '€' or '$' or '£': currency = true; break;
            }
        }

        Flush();
        return new LeadText(text, tokens, original)
        {
            QuestionMarks = questions,
            ExclamationMarks = exclamations,
            HasCurrencySign = currency,
        };
    }
}
