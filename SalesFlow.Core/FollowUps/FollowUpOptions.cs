using System.ComponentModel.DataAnnotations;

namespace SalesFlow.Core.FollowUps;

/// <summary>The follow-up settings (section "FollowUps"); issue 12 moves cadence and quiet hours into each client's config.</summary>
public sealed class FollowUpOptions : IValidatableObject
{
    public const string Section = "FollowUps";

    /// <summary>ISO-8601 durations after the unanswered reply, comma-separated; short steps ("PT5S,PT10S") are fine for demos and tests.</summary>
    public string Cadence { get; set; } = FollowUpCadence.Default.ToString();

    /// <summary>Local time (the lead's zone) from which no follow-up is sent.</summary>
    public TimeOnly QuietFrom { get; set; } = QuietHours.Default.Start;

    /// <summary>Local time until which no follow-up is sent.</summary>
    public TimeOnly QuietUntil { get; set; } = QuietHours.Default.End;

    /// <summary>No follow-ups on Saturdays and Sundays (local).</summary>
    public bool QuietOnWeekends { get; set; } = QuietHours.Default.SkipWeekends;

    public static readonly TimeSpan DefaultClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the standalone sweep hides a timer it claimed from other sweeps: a step cut off by a crash is run again
    /// after it (its outbox key keeps it from landing twice). Short leases are for crash tests; a step must finish within it.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = DefaultClaimLease;

    public FollowUpCadence ParsedCadence => FollowUpCadence.Parse(Cadence);

    public QuietHours QuietHours => new(QuietFrom, QuietUntil, QuietOnWeekends);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            _ = ParsedCadence;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            error = $"FollowUps:Cadence: {e.Message}";
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(Cadence)]);
        }

        if (ClaimLease < TimeSpan.FromSeconds(5) || ClaimLease > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("FollowUps:ClaimLease must be between 00:00:05 and 01:00:00.", [nameof(ClaimLease)]);
        }
    }
}
