namespace SalesFlow.Functions.Apis;

/// <summary>The DISC reading: scores 0–1, the primary style (D, I, S, C; null while none leads), the signals it rests on and who set it.</summary>
/// <param name="SetBy">"rep" when a rep set it (turns and analyses keep it), otherwise "conversation".</param>
public sealed record DiscViewDto(double Dominance, double Influence, double Steadiness, double Conscientiousness, string? Primary, double Confidence, int Samples, IReadOnlyList<string> Signals, string SetBy);

/// <summary>GET and POST /api/leads/{id}/personality.</summary>
public sealed record LeadDiscDto(string LeadId, DiscViewDto Disc);

/// <summary>POST /api/leads/{id}/personality/analyze: the stored reading and the fresh one; stored is false when a rep's reading was kept.</summary>
public sealed record LeadDiscAnalysisDto(string LeadId, DiscViewDto Disc, DiscViewDto Analyzed, bool Stored);

/// <summary>GET /api/leads/{id}/personality/recommendations: how to talk to the person, in the lead's language.</summary>
public sealed record DiscAdviceDto(string LeadId, string? Primary, double Confidence, string Language, string Style, IReadOnlyList<string> Do, IReadOnlyList<string> Dont, string Pace);
