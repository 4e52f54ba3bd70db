using System.Collections.Concurrent;
using SalesFlow.Core.Common;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Tests.Support;

/// <summary>
/// An <see cref="IMeetingStore"/> in memory for unit tests of the meeting dialogue (the real SQLite and Cosmos stores
/// have their own contract tests): same idempotency-key insert, ETag guard and client scoping as the port demands.
/// </summary>
public sealed class InMemoryMeetingStore : IMeetingStore
{
    private readonly ConcurrentDictionary<(string ClientId, string Id), Meeting> _meetings = new();
    private readonly ConcurrentDictionary<(string ClientId, string LeadId), SlotOffer> _offers = new();
    private readonly Lock _gate = new();
    private int _version;

    /// <summary>Runs before every replace: a test makes a write lose a race by changing the stored meeting here.</summary>
    public Action<Meeting>? BeforeReplace { get; set; }

    public IReadOnlyList<Meeting> All => _meetings.Values.ToList();

    public Task<Meeting?> GetAsync(string clientId, string meetingId, CancellationToken ct) =>
        Task.FromResult(_meetings.GetValueOrDefault((clientId, meetingId)));

    public Task<IReadOnlyList<Meeting>> ListForLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Meeting>>(_meetings.Values.Where(m => m.ClientId == clientId && m.LeadId == leadId).OrderByDescending(m => m.Start).ToList());

    public Task<Meeting?> FindByExternalIdAsync(string clientId, string externalId, CancellationToken ct) =>
        Task.FromResult(_meetings.Values.FirstOrDefault(m => m.ClientId == clientId && m.ExternalId == externalId));

    public Task<(Meeting Meeting, bool Created)> AddAsync(Meeting meeting, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_meetings.Values.FirstOrDefault(m => m.ClientId == meeting.ClientId && m.IdempotencyKey == meeting.IdempotencyKey) is { } existing)
            {
                return Task.FromResult((existing, false));
            }

            var stored = meeting with { ETag = NextETag() };
            _meetings[(meeting.ClientId, meeting.Id)] = stored;
            return Task.FromResult((stored, true));
        }
    }

    public Task<Meeting> ReplaceAsync(Meeting meeting, CancellationToken ct)
    {
        BeforeReplace?.Invoke(meeting);
        lock (_gate)
        {
            if (!_meetings.TryGetValue((meeting.ClientId, meeting.Id), out var current) || current.ETag != meeting.ETag)
            {
                throw new ConcurrencyException($"Meeting {meeting.Id} changed meanwhile.");
            }

            var stored = meeting with { ETag = NextETag() };
            _meetings[(meeting.ClientId, meeting.Id)] = stored;
            return Task.FromResult(stored);
        }
    }

    /// <summary>A write by someone else (a webhook): bumps the ETag.</summary>
    public void Put(Meeting meeting)
    {
        lock (_gate)
        {
            _meetings[(meeting.ClientId, meeting.Id)] = meeting with { ETag = NextETag() };
        }
    }

    public Task<SlotOffer?> GetOfferAsync(string clientId, string leadId, CancellationToken ct) =>
        Task.FromResult(_offers.GetValueOrDefault((clientId, leadId)));

    public Task SaveOfferAsync(SlotOffer offer, CancellationToken ct)
    {
        _offers[(offer.ClientId, offer.LeadId)] = offer;
        return Task.CompletedTask;
    }

    public Task DeleteOfferAsync(string clientId, string leadId, CancellationToken ct)
    {
        _offers.TryRemove((clientId, leadId), out _);
        return Task.CompletedTask;
    }

    public Task<int> CountBookedAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Task.FromResult(_meetings.Values.Count(m => m.ClientId == clientId && m.Status == MeetingStatus.Booked && m.CreatedAt >= from && m.CreatedAt < to));

    public Task<IReadOnlyList<Meeting>> ListActiveBetweenAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Meeting>>(_meetings.Values.Where(m => m.ClientId == clientId && m.IsActive && m.Start < to && m.End > from).ToList());

    private string NextETag() => $"v{Interlocked.Increment(ref _version)}";
}
