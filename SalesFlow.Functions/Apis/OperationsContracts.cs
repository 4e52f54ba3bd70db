namespace SalesFlow.Functions.Apis;

/// <summary>One of the calling client's work items parked in a poison queue.</summary>
/// <param name="Queue">The work queue it failed in, where a replay puts it back.</param>
/// <param name="Payload">The work item as queued (JSON naming the client and what to do).</param>
/// <param name="LastError">The last failure where the queue keeps it (the embedded queue does; Storage queues do not).</param>
public sealed record ClientPoisonItem(string Queue, string Id, string Payload, int DequeueCount, string? LastError);

/// <summary>The calling client's parked work, per queue oldest first.</summary>
public sealed record ClientPoisonList(IReadOnlyList<ClientPoisonItem> Items);

/// <summary>The answer of a replay: the item is back in its queue, due now, its tries reset.</summary>
public sealed record ClientPoisonReplay(string Queue, string Id, bool Replayed);

/// <summary>A lead's scheduled follow-up (the store timer of the standalone driver).</summary>
/// <param name="Cycle">The reply (or first contact) the cadence counts from.</param>
/// <param name="Due">Whether the step is due now (at or before the time of the request).</param>
public sealed record ScheduledFollowUp(string LeadId, string? LeadName, string Cycle, int StepsSent, DateTimeOffset? LastStepAt, DateTimeOffset DueAt, bool Due);

/// <summary>The client's follow-ups, earliest due first.</summary>
public sealed record ScheduledFollowUpList(IReadOnlyList<ScheduledFollowUp> Items);

/// <summary>How many leads are HOT, WARM and COLD.</summary>
public sealed record TemperatureCount(string Temperature, int Leads);

/// <summary>How many leads have a health score in [Min, Max].</summary>
public sealed record HealthBucket(int Min, int Max, int Leads);

/// <summary>The score distribution of the leads created in the range (UTC days), from their stored scores.</summary>
public sealed record ScoreDistribution(string From, string To, int Leads, IReadOnlyList<TemperatureCount> Temperatures, IReadOnlyList<HealthBucket> Health);
