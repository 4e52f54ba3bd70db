namespace SalesFlow.Core.Privacy;

/// <summary>What an erasure removed, per store, for the audit answer.</summary>
public sealed record ErasureReport(string LeadId, IReadOnlyDictionary<string, int> Removed);

/// <summary>GDPR erasure: removes every trace of a lead from every store of one adapter set.</summary>
public interface ILeadEraser
{
    /// <summary>Null when the lead does not exist for this client.</summary>
    Task<ErasureReport?> EraseAsync(string clientId, string leadId, CancellationToken ct);
}
