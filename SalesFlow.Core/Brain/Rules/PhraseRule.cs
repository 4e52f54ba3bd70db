namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// A keyword rule over normalised tokens (<see cref="LeadText.Words"/>). Syntax: groups joined by <c> &amp; </c> must
/// all match (anywhere in the message); a group starting with <c>!</c> must <em>not</em> match; inside a group,
/// alternatives are separated by <c>|</c>; an alternative is a sequence of consecutive tokens. A token <c>abc*</c>
/// matches by prefix (a stem: "kost*" covers kostet/kosten/kostenlos), <c>*abc</c> by suffix, <c>*abc*</c> by
/// substring, otherwise exactly. Specs are folded like the text (ä → ae, ß → ss), so "grüß" also matches "gruess".
/// Exact and prefix tokens of five or more letters tolerate one typo (Damerau–Levenshtein distance 1, same first
/// letter: "intressiert", "pasword", "unsubcribe"); a leading <c>=</c> switches that off for words with a close
/// antonym or look-alike ("=abmeld*" must not match "anmelden", "=quote" must not match "quite").
/// </summary>
internal sealed class PhraseRule
{
    /// <summary>Keywords shorter than this are matched exactly.</summary>
    public const int FuzzyMinLength = 5;

    private readonly TokenPattern[][][] _groups;
    private readonly bool[] _negated;

    private PhraseRule(string spec, TokenPattern[][][] groups, bool[] negated)
    {
        Spec = spec;
        _groups = groups;
        _negated = negated;
    }

    public string Spec { get; }

    public static PhraseRule Parse(string spec)
    {
        var rawGroups = spec.Split(" & ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var negated = rawGroups.Select(group => group.StartsWith('!')).ToArray();
        var groups = rawGroups
            .Select(group => group.TrimStart('!').Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(alternative => alternative.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(TokenPattern.Parse)
                    .ToArray())
                .ToArray())
            .ToArray();
        return new PhraseRule(spec, groups, negated);
    }

    public bool IsMatch(IReadOnlyList<string> tokens) => MatchStart(tokens) >= 0;

    /// <summary>Where the first positive group matched (token index), or -1 when the rule does not match.</summary>
    public int MatchStart(IReadOnlyList<string> tokens)
    {
        var start = -1;
        for (var g = 0; g < _groups.Length; g++)
        {
            var at = -1;
            foreach (var sequence in _groups[g])
            {
                at = FindSequence(tokens, sequence);
                if (at >= 0)
                {
                    break;
                }
            }

            if (_negated[g])
            {
                if (at >= 0)
                {
                    return -1;
                }

                continue;
            }

            if (at < 0)
            {
                return -1;
            }

            if (start < 0)
            {
                start = at;
            }
        }

        return start;
    }

    private static int FindSequence(IReadOnlyList<string> tokens, TokenPattern[] sequence)
    {
        for (var start = 0; start + sequence.Length <= tokens.Count; start++)
        {
            var all = true;
            for (var i = 0; i < sequence.Length; i++)
            {
                if (!sequence[i].IsMatch(tokens[start + i]))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return start;
            }
        }

        return -1;
    }

    private readonly record struct TokenPattern(string Text, bool Prefix, bool Substring, bool Suffix, bool Fuzzy)
    {
        public static TokenPattern Parse(string token)
        {
            var exactOnly = token.Length > 1 && token[0] == '=';
            if (exactOnly)
            {
                token = token[1..];
            }

            token = LeadText.Fold(token.ToLowerInvariant());
            if (token.Length > 2 && token[0] == '*' && token[^1] == '*')
            {
                return new TokenPattern(token[1..^1], Prefix: false, Substring: true, Suffix: false, Fuzzy: false);
            }

            if (token.Length > 1 && token[0] == '*')
            {
                return new TokenPattern(token[1..], Prefix: false, Substring: false, Suffix: true, Fuzzy: false);
            }

            var prefix = token.Length > 1 && token[^1] == '*';
            var text = prefix ? token[..^1] : token;
            return new TokenPattern(text, prefix, Substring: false, Suffix: false,
                Fuzzy: !exactOnly && text.Length >= FuzzyMinLength && text.All(char.IsLetter));
        }

        public bool IsMatch(string token)
        {
            if (Substring)
            {
                return token.Contains(Text, StringComparison.Ordinal);
            }

            if (Suffix)
            {
                return token.EndsWith(Text, StringComparison.Ordinal);
            }

            if (Prefix)
            {
                if (token.StartsWith(Text, StringComparison.Ordinal))
                {
                    return true;
                }

                if (!Fuzzy || token.Length < Text.Length - 1 || token[0] != Text[0])
                {
                    return false;
                }

                // A stem with one typo: compare it with the token's prefixes of equal length and one longer; one
                // shorter only for long stems (for short ones it would let "zuspam*" match "zusammen").
                var shortest = Text.Length >= 7 ? Text.Length - 1 : Text.Length;
                for (var length = shortest; length <= Text.Length + 1 && length <= token.Length; length++)
                {
                    if (WithinOneEdit(Text, token.AsSpan(0, length)))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (string.Equals(token, Text, StringComparison.Ordinal))
            {
                return true;
            }

            return Fuzzy && token.Length >= FuzzyMinLength && token[0] == Text[0] && WithinOneEdit(Text, token);
        }
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> differ by at most one insertion, deletion,
    /// substitution or swap of two neighbouring letters.</summary>
    internal static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        if (i == a.Length && i == b.Length)
        {
            return true;
        }

        if (a.Length == b.Length)
        {
            // substitution, or transposition of i and i+1
            if (a[(i + 1)..].SequenceEqual(b[(i + 1)..]))
            {
                return true;
            }

            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
        }

        return a.Length > b.Length ? a[(i + 1)..].SequenceEqual(b[i..]) : a[i..].SequenceEqual(b[(i + 1)..]);
    }
}

/// <summary>A named list of <see cref="PhraseRule"/>s; it matches when any rule does.</summary>
internal sealed class PhraseRuleSet
{
    private readonly PhraseRule[] _rules;

    public PhraseRuleSet(params string[] specs) => _rules = specs.Select(PhraseRule.Parse).ToArray();

    public bool IsMatch(IReadOnlyList<string> tokens)
    {
        foreach (var rule in _rules)
        {
            if (rule.IsMatch(tokens))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where the earliest matching rule starts (token index), or -1 when none matches.</summary>
    public int FirstMatchStart(IReadOnlyList<string> tokens)
    {
        // Read on every message (the sentiment lexicon): no list, just the earliest start.
        var first = -1;
        foreach (var rule in _rules)
        {
            var at = rule.MatchStart(tokens);
            first = at >= 0 && (first < 0 || at < first) ? at : first;
        }

        return first;
    }

    /// <summary>Start positions of every rule that matches (one per rule).</summary>
    public void CollectMatches(IReadOnlyList<string> tokens, List<int> starts)
    {
        foreach (var rule in _rules)
        {
            var at = rule.MatchStart(tokens);
            if (at >= 0)
            {
                starts.Add(at);
            }
        }
    }
}
