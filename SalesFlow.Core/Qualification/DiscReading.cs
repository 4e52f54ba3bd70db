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
        var disc = DiscProfile.Empty with { Signals = [] };
        foreach (var m in messages.Where(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted() && !string.IsNullOrWhiteSpace(m.Text)).OrderBy(m => m.Seq))
        {
            // The merge keeps the message as a signal when it showed a style, as in a turn.
            disc = LeadProfileMerger.Merge(disc, LeadSignalRules.Read(m.Text).Disc);
        }

        return disc;
    }

    /// <summary>The signals with the lead's words that showed the styles scored in front ("DI: \"…\""), at most <see cref="MaxSignals"/>.</summary>
    public static IReadOnlyList<string>? WithSignal(IReadOnlyList<string>? signals, IReadOnlyList<double> scores, string? said)
    {
        if (string.IsNullOrWhiteSpace(said))
        {
            return signals;
        }

        var shown = string.Concat(Styles.Where((_, i) => scores[i] > 0));
        var text = said.Trim().ReplaceLineEndings(" ");
        return [$"{shown}: \"{(text.Length <= MaxSignalLength ? text : text[..MaxSignalLength] + "…")}\"", .. (signals ?? []).Take(MaxSignals - 1)];
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
