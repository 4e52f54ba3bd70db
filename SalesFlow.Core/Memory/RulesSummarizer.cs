using System.Text;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Memory;

/// <summary>
/// The offline summarizer: extractive. Each of the lead's sentences that states a need, raises an objection or asks
/// a question becomes one line "[stage] kind: sentence"; lines already in the summary are not repeated, and when the
/// summary grows past <see cref="MaxChars"/> the oldest lines go (the newest concerns matter most to the next reply).
/// Our own replies are left out: the lead's words are what the brain must not forget.
/// </summary>
public sealed partial class RulesSummarizer : ISummarizer
{
    public const int MaxChars = 1500;
    private const int MaxItemChars = 160;

    public Task<string> SummarizeAsync(SummaryInput input, CancellationToken ct) => Task.FromResult(Summarize(input));

    public static string Summarize(SummaryInput input)
    {
        var lines = input.Previous.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var seen = new HashSet<string>(lines.Select(Normalize));
        foreach (var message in input.Messages.Where(m => m.FromLead))
        {
            foreach (var sentence in Sentences(message.Text))
            {
                if (Classify(sentence) is not { } kind)
                {
                    continue;
                }

                var line = $"[{message.Stage}] {kind}: {Shorten(sentence)}";
                if (seen.Add(Normalize(line)))
                {
                    lines.Add(line);
                }
            }
        }

        while (lines.Count > 1 && lines.Sum(l => l.Length + 1) > MaxChars)
        {
            lines.RemoveAt(0);
        }

        return string.Join('\n', lines);
    }

    /// <summary>"objection", "question" or "need"; null for small talk. An objection wins over a question ("isn't that too expensive?").</summary>
    public static string? Classify(string sentence)
    {
        if (Objection().IsMatch(sentence))
        {
            return "objection";
        }

        if (sentence.TrimEnd().EndsWith('?') || QuestionStart().IsMatch(sentence))
        {
            return "question";
        }

        return Need().IsMatch(sentence) ? "need" : null;
    }

    private static IEnumerable<string> Sentences(string text) =>
        Common.Sentences.Of(text).Where(s => s.Length >= 3);

    private static string Shorten(string sentence) =>
        sentence.Length <= MaxItemChars ? sentence : sentence[..(MaxItemChars - 1)].TrimEnd() + "…";

    // Stage is part of the line but not of its identity: the same concern raised again in a later stage is no news.
    private static string Normalize(string line)
    {
        var body = line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? line[(end + 2)..] : line;
        var sb = new StringBuilder(body.Length);
        foreach (var c in body.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == ':')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\b(too (expensive|pricey|much|slow|complicated)|expensive|not sure|concern(ed)?|worried|already (use|have)|no budget|can't afford|cannot afford|don't need|do not need|competitor|cheaper|zu teuer|teuer|keine zeit|kein budget|bedenken|nicht sicher|schon (einen|eine|ein))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Objection();

    [GeneratedRegex(@"^(what|how|when|where|why|which|who|can|could|do|does|is|are|will|would|was|wie|wann|wo|warum|welche[rsn]?|kann|können|gibt es|habt|haben sie|ist)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionStart();

    [GeneratedRegex(@"\b(need|needs|want|wants|looking for|require|requires|would like|interested in|must|struggle|problem|our team|we have|we are|budget|deadline|by (q[1-4]|next|the end)|brauchen|benötigen|suchen|möchten|wollen|problem)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Need();
}
