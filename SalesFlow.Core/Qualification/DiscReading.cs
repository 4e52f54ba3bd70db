using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// DISC read again from all of a lead's own messages with the rules reader (<see cref="LeadSignalRules"/>), each message
/// one sample as in a turn, keeping the messages that showed a style as the signals; and a rep's setting of it.
/// </summary>
public static class DiscReading
{
    public const int MaxSignals = 10;
    private const int MaxSignalLength = 120;

    public static readonly string[] Styles = ["D", "I", "S", "C"];

    public static DiscProfile Analyze(IEnumerable<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var disc = DiscProfile.Empty;
        List<string> signals = [];
        foreach (var m in messages.Where(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted() && !string.IsNullOrWhiteSpace(m.Text)).OrderBy(m => m.Seq))
        {
            var (_, read, _) = LeadSignalRules.Read(m.Text);
            double[] scores = [read.Dominance, read.Influence, read.Steadiness, read.Conscientiousness];
            if (scores.Sum() <= 0)
            {
                continue;
            }

            disc = LeadProfileMerger.Merge(disc, read);
            var shown = string.Concat(Styles.Where((_, i) => scores[i] > 0));
            var text = m.Text.Trim().ReplaceLineEndings(" ");
            signals.Insert(0, $"{shown}: \"{(text.Length <= MaxSignalLength ? text : text[..MaxSignalLength] + "…")}\"");
        }

        return disc with { Signals = [.. signals.Take(MaxSignals)] };
    }

    /// <summary>A rep's reading: the named style leads fully and with full confidence; later turns and analyses keep it.</summary>
    public static DiscProfile SetByRep(DiscProfile current, string primary, string? note)
    {
        var i = Array.IndexOf(Styles, primary);
        if (i < 0)
        {
            throw new ArgumentException($"'{primary}' is not a DISC style.", nameof(primary));
        }

        return new DiscProfile(i == 0 ? 1 : 0, i == 1 ? 1 : 0, i == 2 ? 1 : 0, i == 3 ? 1 : 0, current.Samples, 1, BantDimension.Rep, [$"rep: {note ?? primary}"]);
    }
}
