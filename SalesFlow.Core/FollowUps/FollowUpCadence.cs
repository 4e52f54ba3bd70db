using System.Xml;

namespace SalesFlow.Core.FollowUps;

/// <summary>
/// When the follow-ups of one unanswered reply are due, as offsets from that reply: step n is due
/// <see cref="Offsets"/>[n] after it. Strictly increasing, so every step comes after the one before.
/// </summary>
public sealed record FollowUpCadence
{
    /// <summary>+1 hour, +1 day, +3 days, +7 days after the reply that went unanswered.</summary>
    public static FollowUpCadence Default { get; } = new([TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7)]);

    public FollowUpCadence(IReadOnlyList<TimeSpan> offsets)
    {
        if (offsets.Count == 0)
        {
            throw new ArgumentException("A cadence needs at least one step.", nameof(offsets));
        }

        for (var i = 0; i < offsets.Count; i++)
        {
            if (offsets[i] <= TimeSpan.Zero || (i > 0 && offsets[i] <= offsets[i - 1]))
            {
                throw new ArgumentException("A cadence's offsets must be positive and strictly increasing.", nameof(offsets));
            }
        }

        Offsets = offsets;
    }

    public IReadOnlyList<TimeSpan> Offsets { get; }

    public int Count => Offsets.Count;

    /// <summary>
    /// Reads the setting form: ISO-8601 durations separated by commas ("PT1H,P1D,P3D,P7D"); short steps ("PT10S")
    /// are allowed for demos and tests. Null or blank gives <see cref="Default"/>.
    /// </summary>
    public static FollowUpCadence Parse(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return Default;
        }

        var offsets = new List<TimeSpan>();
        foreach (var part in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                // XmlConvert reads xs:duration, which is ISO-8601's duration form (P1DT2H, PT30S).
                offsets.Add(XmlConvert.ToTimeSpan(part));
            }
            catch (FormatException)
            {
                throw new FormatException($"'{part}' is not an ISO-8601 duration (e.g. PT1H, P1D).");
            }
        }

        return new FollowUpCadence(offsets);
    }

    public override string ToString() => string.Join(',', Offsets.Select(XmlConvert.ToString));

    public bool Equals(FollowUpCadence? other) => other is not null && Offsets.SequenceEqual(other.Offsets);

    public override int GetHashCode() => Offsets.Aggregate(0, (h, o) => HashCode.Combine(h, o));
}
