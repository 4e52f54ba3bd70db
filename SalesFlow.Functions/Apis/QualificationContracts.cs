namespace SalesFlow.Functions.Apis;

/// <summary>BANT as reps read it: each dimension 0–10 with its evidence, overall 0–10 and a traffic light (green, amber, red).</summary>
public sealed record BantViewDto(BantDimensionViewDto Budget, BantDimensionViewDto Authority, BantDimensionViewDto Need, BantDimensionViewDto Timeline, double Overall, string TrafficLight);

/// <param name="SetBy">"rep" when a rep set it (turns leave it), otherwise "conversation".</param>
public sealed record BantDimensionViewDto(double Score, IReadOnlyList<string> Evidence, string SetBy);

/// <summary>GET and POST /api/leads/{id}/bant.</summary>
public sealed record LeadBantDto(string LeadId, BantViewDto Bant);

/// <summary>The lead score with the features and weights it was computed from.</summary>
/// <param name="Temperature">hot, warm or cold (from the probability).</param>
/// <param name="Health">0–100.</param>
/// <param name="Model">"prior" (hand-set weights) or "learnt" (fitted on the client's won/lost outcomes).</param>
/// <param name="Outcomes">Outcomes the learnt weights were fitted on; 0 for the priors.</param>
public sealed record ScoreViewDto(string Temperature, int Health, double Probability, string Model, int Outcomes, DateTimeOffset ComputedAt, double Bias, IReadOnlyList<ScoreFeatureDto> Features);

/// <param name="Value">The feature's raw value; null when the lead gives none.</param>
public sealed record ScoreFeatureDto(string Feature, double? Value, double Scaled, double Weight, double Contribution);

/// <summary>GET /api/leads/{id}/score.</summary>
public sealed record LeadScoreDto(string LeadId, ScoreViewDto Score);

/// <summary>How a lead ended: won or lost, the deal value, why, and who recorded it.</summary>
public sealed record LeadOutcomeDto(string LeadId, string Outcome, decimal? Value, string? Reason, string Source, DateTimeOffset At);
