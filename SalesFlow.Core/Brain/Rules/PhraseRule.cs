namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// A keyword rule over normalised tokens. Syntax: groups joined by <c> &amp; </c> must all match (anywhere in the
/// message); inside a group, alternatives are separated by <c>|</c>; an alternative is a sequence of consecutive
/// tokens. A token <c>abc*</c> matches by prefix, <c>*abc</c> by suffix, <c>*abc*</c> by substring, otherwise exactly.
/// </summary>
internal sealed class PhraseRule
{
    private readonly TokenPattern[][][] _groups;

    private PhraseRule(string spec, TokenPattern[][][] groups)
    {
        Spec = spec;
        _groups = groups;
    }

    public string Spec { get; }

    public static PhraseRule Parse(string spec)
    {
        var groups = spec.Split(" & ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(group => group.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(alternative => alternative.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(TokenPattern.Parse)
                    .ToArray())
                .ToArray())
            .ToArray();
        return new PhraseRule(spec, groups);
    }

    public bool IsMatch(IReadOnlyList<string> tokens)
    {
        foreach (var group in _groups)
        {
            var groupMatched = false;
            foreach (var sequence in group)
            {
                if (ContainsSequence(tokens, sequence))
                {
                    groupMatched = true;
                    break;
                }
            }

            if (!groupMatched)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsSequence(IReadOnlyList<string> tokens, TokenPattern[] sequence)
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
                return true;
            }
        }

        return false;
    }

    private readonly record struct TokenPattern(string Text, bool Prefix, bool Substring, bool Suffix = false)
    {
        public static TokenPattern Parse(string token)
        {
            if (token.Length > 2 && token[0] == '*' && token[^1] == '*')
            {
                return new TokenPattern(token[1..^1], Prefix: false, Substring: true);
            }

            if (token.Length > 1 && token[0] == '*')
            {
                return new TokenPattern(token[1..], Prefix: false, Substring: false, Suffix: true);
            }

            return token.Length > 1 && token[^1] == '*'
                ? new TokenPattern(token[..^1], Prefix: true, Substring: false)
                : new TokenPattern(token, Prefix: false, Substring: false);
        }

        public bool IsMatch(string token) =>
            Substring ? token.Contains(Text, StringComparison.Ordinal)
            : Prefix ? token.StartsWith(Text, StringComparison.Ordinal)
            : Suffix ? token.EndsWith(Text, StringComparison.Ordinal)
            : string.Equals(token, Text, StringComparison.Ordinal);
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
}
