namespace SalesFlow.Functions.Apis;

/// <summary>POST /api/leads/{id}/scripts: a script in sections of lines (and as one text), what personalised it and the compliance verdict.</summary>
/// <param name="Text">Every line of every section, one per line.</param>
public sealed record LeadScriptDto(string LeadId, string Goal, string Channel, string Language, ScriptBasisDto BasedOn, IReadOnlyList<ScriptSectionDto> Sections, string Text, ScriptComplianceDto Compliance);

/// <param name="Disc">The lead's DISC primary style the wording follows; null when not known yet.</param>
/// <param name="BantGaps">The BANT criteria still open that the discovery asks about.</param>
/// <param name="Objections">The objections found in the lead's latest messages.</param>
public sealed record ScriptBasisDto(string? Disc, IReadOnlyList<string> BantGaps, IReadOnlyList<string> Objections);

public sealed record ScriptSectionDto(string Name, IReadOnlyList<string> Lines);

/// <param name="Verdict">allow, rewrite or block (the compliance check's names).</param>
public sealed record ScriptComplianceDto(string Verdict, IReadOnlyList<ComplianceRuleDto> Rules);
