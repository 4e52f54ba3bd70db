using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Analytics;
using SalesFlow.Core.Common;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Analytics on Cosmos, in the <c>leads</c> container (pk <c>/clientId</c>, so every call is single-partition):
/// <list type="bullet">
/// <item><c>analytics-lead:{leadId}</c>: the lead's row and the hashes of its latest record keys, written ETag-guarded,
/// so a lead's record is claimed and merged in one write;</item>
/// <item><c>analytics-key:{hash}</c>: the claim of a record that names no lead (a model call): a create;</item>
/// <item><c>analytics-day:{dayNumber}</c>: a client's counters of one UTC day as properties <c>c["metric|dimension"]</c>,
/// added to by server-side patch increments (no read-modify-write race); a report reads at most 401 of them.</item>
/// </list>
/// The claim comes before the counters: a crash between them loses the record's counts (at most once, never twice).
/// </summary>
public sealed class CosmosAnalyticsStore(CosmosContainers containers) : IAnalyticsStore
{
    internal const string LeadType = "analyticsLead";
    private const string KeyType = "analyticsKey";
    private const string DayType = "analyticsDay";
    /// <summary>Record keys remembered per lead: a repeat arrives soon after the original (a retried turn or event).</summary>
    private const int KeysKept = 32;
    private const int MaxPatchOperations = 10;
    private const int MaxAttempts = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static string LeadDocId(string leadId) => $"analytics-lead:{leadId}";

    private static string DayDocId(DateOnly day) => $"analytics-day:{day.DayNumber}";

    private Container Leads => containers.Leads;

    public async Task<bool> RecordAsync(AnalyticsRecord record, CancellationToken ct)
    {
        var hash = SqliteActivityReport.Hash(record.Key);
        var deltas = new List<CounterDelta>(record.Counters);
        if (record.Lead is { } observation)
        {
            var changes = await ClaimForLeadAsync(record.ClientId, hash, observation, ct);
            if (changes is null)
            {
                return false;
            }

            deltas.AddRange(changes);
        }
        else if (!await Leads.TryCreateAsync(new JsonObject { ["id"] = $"analytics-key:{hash}", ["type"] = KeyType, ["clientId"] = record.ClientId }, record.ClientId, ct))
        {
            return false;
        }

        await AddAsync(record.ClientId, AnalyticsAggregation.Combine(deltas), ct);
        return true;
    }

    /// <summary>Merges the observation into the lead's row with the key; null when the key is already there.</summary>
    private async Task<IReadOnlyList<CounterDelta>?> ClaimForLeadAsync(string clientId, string hash, LeadObservation observation, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var doc = await Leads.ReadOrNullAsync(LeadDocId(observation.LeadId), clientId, ct);
            var keys = doc?["keys"]?.AsArray().Select(k => k!.GetValue<string>()).ToList() ?? [];
            if (keys.Contains(hash))
            {
                return null;
            }

            var before = doc?["row"]?.Deserialize<LeadAnalytics>(Json);
            var (after, changes) = AnalyticsAggregation.Apply(clientId, before, observation);
            var next = new JsonObject
            {
                ["id"] = LeadDocId(observation.LeadId),
                ["type"] = LeadType,
                ["clientId"] = clientId,
                ["leadId"] = observation.LeadId,
                ["row"] = JsonSerializer.SerializeToNode(after, Json),
                ["keys"] = new JsonArray([.. keys.Append(hash).TakeLast(KeysKept).Select(k => (JsonNode)JsonValue.Create(k))]),
            };
            try
            {
                if (doc is null)
                {
                    if (await Leads.TryCreateAsync(next, clientId, ct))
                    {
                        return changes;
                    }
                }
                else
                {
                    await Leads.ReplaceGuardedAsync(next, clientId, CosmosDocuments.ETagOf(doc), "The lead's analytics", ct);
                    return changes;
                }
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
            }

            if (attempt >= MaxAttempts)
            {
                throw new ConcurrencyException("The lead's analytics kept changing.");
            }
        }
    }

    /// <summary>Server-side increments, one patch per day document (at most ten operations each).</summary>
    private async Task AddAsync(string clientId, IReadOnlyList<CounterDelta> deltas, CancellationToken ct)
    {
        foreach (var day in deltas.GroupBy(d => d.Day))
        {
            foreach (var chunk in day.Chunk(MaxPatchOperations))
            {
                await PatchDayAsync(clientId, day.Key, chunk, ct);
            }
        }
    }

    private async Task PatchDayAsync(string clientId, DateOnly day, CounterDelta[] deltas, CancellationToken ct)
    {
        var operations = deltas.Select(d => PatchOperation.Increment($"/c/{Pointer(Name(d))}", d.Value)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Leads.PatchItemAsync<JsonObject>(DayDocId(day), new PartitionKey(clientId), operations, new PatchItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
                return;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound && attempt < MaxAttempts)
            {
                var counters = new JsonObject();
                foreach (var d in deltas)
                {
                    counters[Name(d)] = d.Value;
                }

                var doc = new JsonObject { ["id"] = DayDocId(day), ["type"] = DayType, ["clientId"] = clientId, ["day"] = day.DayNumber, ["c"] = counters };
                if (await Leads.TryCreateAsync(doc, clientId, ct))
                {
                    return;
                }
            }
        }
    }

    private static string Name(CounterDelta d) => $"{d.Metric}|{d.Dimension}";

    /// <summary>A property name as a JSON pointer segment (RFC 6901: '~' → '~0', '/' → '~1').</summary>
    private static string Pointer(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public async Task<IReadOnlyList<CounterTotal>> TotalsAsync(string clientId, IReadOnlyCollection<string> metrics, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var docs = await Leads.QueryAsync(
            new QueryDefinition($"SELECT c.c FROM c WHERE c.clientId = @clientId AND c.type = '{DayType}' AND c.day >= @from AND c.day <= @to")
                .WithParameter("@clientId", clientId).WithParameter("@from", from.DayNumber).WithParameter("@to", to.DayNumber),
            clientId,
            ct,
            // One page for the at most 401 day documents of a range (the stand-in cannot continue a query; Cosmos still
            // pages by response size and the loop follows).
            AnalyticsRange.MaxDays + 1);
        var wanted = metrics.ToHashSet(StringComparer.Ordinal);
        var sums = new Dictionary<(string, string), double>();
        foreach (var counters in docs.Select(d => d["c"] as JsonObject).OfType<JsonObject>())
        {
            foreach (var (name, value) in counters)
            {
                var split = name.IndexOf('|', StringComparison.Ordinal);
                if (split < 0 || value is null || !wanted.Contains(name[..split]))
                {
                    continue;
                }

                var key = (name[..split], name[(split + 1)..]);
                sums[key] = sums.GetValueOrDefault(key) + value.GetValue<double>();
            }
        }

        return [.. sums.Select(s => new CounterTotal(s.Key.Item1, s.Key.Item2, s.Value))];
    }

    public async Task<LeadAnalytics?> GetLeadAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await Leads.ReadOrNullAsync(LeadDocId(leadId), clientId, ct);
        return doc is not null && doc.String("type") == LeadType ? doc["row"]?.Deserialize<LeadAnalytics>(Json) : null;
    }

    public async Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        await Leads.TryDeleteAsync(LeadDocId(leadId), clientId, ct) ? 1 : 0;
}
