using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Meetings and slot offers in the embedded store. The idempotency key is unique per client (a second add finds the
/// first); a replace compares the row's etag in the UPDATE itself. Every statement filters by client id.
/// </summary>
public sealed class SqliteMeetingStore(SqliteDatabase db) : IMeetingStore
{
    private const string Columns = "client_id, id, lead_id, provider, external_id, start_at, end_at, time_zone, language, status, attendee_name, attendee_email, attendee_phone, location, idempotency_key, cancel_reason, error, created_at, updated_at, etag";

    public Task<Meeting?> GetAsync(string clientId, string meetingId, CancellationToken ct) =>
        FirstAsync("client_id = $c AND id = $id", ("$c", clientId), ("$id", meetingId));

    public Task<IReadOnlyList<Meeting>> ListForLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        ListAsync("client_id = $c AND lead_id = $l ORDER BY start_at DESC, id DESC", ("$c", clientId), ("$l", leadId));

    public Task<Meeting?> FindByExternalIdAsync(string clientId, string externalId, CancellationToken ct) =>
        FirstAsync("client_id = $c AND external_id = $x", ("$c", clientId), ("$x", externalId));

    public Task<(Meeting Meeting, bool Created)> AddAsync(Meeting meeting, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var existing = (await c.Command($"SELECT {Columns} FROM meetings WHERE client_id = $c AND idempotency_key = $k", t, ("$c", meeting.ClientId), ("$k", meeting.IdempotencyKey)).QueryAsync(Map)).FirstOrDefault();
            if (existing is not null)
            {
                return (existing, false);
            }

            var stored = meeting with { ETag = Ids.New("e") };
            await c.Command(
                $"INSERT INTO meetings ({Columns}) VALUES ($c, $id, $l, $provider, $x, $start, $end, $tz, $lang, $status, $name, $email, $phone, $loc, $k, $reason, $err, $cre, $upd, $etag)",
                t,
                Parameters(stored)).ExecAsync();
            return (stored, true);
        }, ct);

    public Task<Meeting> ReplaceAsync(Meeting meeting, CancellationToken ct) =>
        db.WriteStatementAsync(async c =>
        {
            var next = meeting with { ETag = Ids.New("e") };
            var changed = await c.Command(
                """
                UPDATE meetings SET provider = $provider, external_id = $x, start_at = $start, end_at = $end, time_zone = $tz, language = $lang,
                    status = $status, attendee_name = $name, attendee_email = $email, attendee_phone = $phone, location = $loc,
                    cancel_reason = $reason, error = $err, updated_at = $upd, etag = $etag
                WHERE client_id = $c AND id = $id AND etag = $old
                """,
                null,
                [.. Parameters(next), ("$old", meeting.ETag)]).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"Meeting {meeting.Id} changed meanwhile.");
        }, ct);

    public Task<SlotOffer?> GetOfferAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            "SELECT client_id, lead_id, slots_json, time_zone, language, offered_at, through_seq FROM slot_offers WHERE client_id = $c AND lead_id = $l",
            null,
            ("$c", clientId),
            ("$l", leadId)).QueryAsync(MapOffer)).FirstOrDefault());

    public Task SaveOfferAsync(SlotOffer offer, CancellationToken ct) =>
        db.WriteStatementAsync(c => c.Command(
            """
            INSERT INTO slot_offers (client_id, lead_id, slots_json, time_zone, language, offered_at, through_seq) VALUES ($c, $l, $slots, $tz, $lang, $at, $seq)
            ON CONFLICT (client_id, lead_id) DO UPDATE SET slots_json = $slots, time_zone = $tz, language = $lang, offered_at = $at, through_seq = $seq
            """,
            null,
            ("$c", offer.ClientId),
            ("$l", offer.LeadId),
            ("$slots", JsonSerializer.Serialize(offer.Slots)),
            ("$tz", offer.TimeZone),
            ("$lang", offer.Language),
            ("$at", offer.OfferedAt.Ms()),
            ("$seq", offer.ThroughSeq)).ExecAsync(), ct);

    public Task DeleteOfferAsync(string clientId, string leadId, CancellationToken ct) =>
        db.WriteStatementAsync(c => c.Command("DELETE FROM slot_offers WHERE client_id = $c AND lead_id = $l", null, ("$c", clientId), ("$l", leadId)).ExecAsync(), ct);

    public Task<int> CountBookedAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        db.ReadAsync(async c => Convert.ToInt32(await c.Command(
            "SELECT COUNT(*) FROM meetings WHERE client_id = $c AND status = $s AND created_at >= $from AND created_at < $to",
            null,
            ("$c", clientId),
            ("$s", MeetingStatus.Booked),
            ("$from", from.Ms()),
            ("$to", to.Ms())).ScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));

    public Task<IReadOnlyList<Meeting>> ListActiveBetweenAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        ListAsync(
            "client_id = $c AND status IN ($requested, $booked) AND start_at < $to AND end_at > $from ORDER BY start_at",
            ("$c", clientId),
            ("$requested", MeetingStatus.Requested),
            ("$booked", MeetingStatus.Booked),
            ("$from", from.Ms()),
            ("$to", to.Ms()));

    private async Task<Meeting?> FirstAsync(string where, params (string, object?)[] parameters) => (await ListAsync(where + " LIMIT 1", parameters)).FirstOrDefault();

    private Task<IReadOnlyList<Meeting>> ListAsync(string where, params (string, object?)[] parameters) =>
        db.ReadAsync<IReadOnlyList<Meeting>>(async c => await c.Command($"SELECT {Columns} FROM meetings WHERE {where}", null, parameters).QueryAsync(Map));

    private static (string, object?)[] Parameters(Meeting m) =>
    [
        ("$c", m.ClientId),
        ("$id", m.Id),
        ("$l", m.LeadId),
        ("$provider", m.Provider),
        ("$x", m.ExternalId),
        ("$start", m.Start.Ms()),
        ("$end", m.End.Ms()),
        ("$tz", m.TimeZone),
        ("$lang", m.Language),
        ("$status", m.Status),
        ("$name", m.AttendeeName),
        ("$email", m.AttendeeEmail),
        ("$phone", m.AttendeePhone),
        ("$loc", m.Location),
        ("$k", m.IdempotencyKey),
        ("$reason", m.CancelReason),
        ("$err", m.Error),
        ("$cre", m.CreatedAt.Ms()),
        ("$upd", m.UpdatedAt.Ms()),
        ("$etag", m.ETag),
    ];

    private static Meeting Map(SqliteDataReader r) => new()
    {
        ClientId = r.GetString(0),
        Id = r.GetString(1),
        LeadId = r.GetString(2),
        Provider = r.GetString(3),
        ExternalId = r.NullableString("external_id"),
        Start = r.Time("start_at"),
        End = r.Time("end_at"),
        TimeZone = r.GetString(7),
        Language = r.GetString(8),
        Status = r.GetString(9),
        AttendeeName = r.NullableString("attendee_name"),
        AttendeeEmail = r.NullableString("attendee_email"),
        AttendeePhone = r.NullableString("attendee_phone"),
        Location = r.NullableString("location"),
        IdempotencyKey = r.GetString(14),
        CancelReason = r.NullableString("cancel_reason"),
        Error = r.NullableString("error"),
        CreatedAt = r.Time("created_at"),
        UpdatedAt = r.Time("updated_at"),
        ETag = r.GetString(19),
    };

    private static SlotOffer MapOffer(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        JsonSerializer.Deserialize<List<MeetingSlot>>(r.GetString(2)) ?? [],
        r.GetString(3),
        r.GetString(4),
        r.Time("offered_at"),
        r.GetInt64(6));
}
