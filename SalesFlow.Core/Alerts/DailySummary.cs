using System.Globalization;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Core.Alerts;

/// <summary>One client's figures for one local day.</summary>
public sealed record DailyFigures(DateOnly Day, ActivityCounts Activity, int MeetingsBooked, decimal AiCostUsd);

/// <summary>
/// The daily summary: from 08:00 in each client's time zone, the previous local day's figures to <c>alerts.emails</c>.
/// Run every few minutes by the <c>daily-summary</c> timer; the outbox keys (<c>summary/&lt;clientId&gt;/&lt;date&gt;/&lt;address&gt;</c>)
/// make it once per client, day and address, so a missed 08:00 (the app was down) is made up at the next run that
/// day, and no run sends it twice. Clients without alert addresses get none.
/// </summary>
public sealed class DailySummaryService(
    IActivityReport report,
    IClientStore clients,
    IUsageStore usage,
    IMeetingStore meetings,
    IOutboxStore outbox,
    StaffOutbox staff,
    TimeProvider clock,
    ILogger<DailySummaryService> logger)
{
    public static readonly TimeOnly SendFrom = new(8, 0);

    /// <summary>Writes the summaries due now; returns how many clients got theirs in this run.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var written = 0;
        foreach (var clientId in await report.ListClientIdsAsync(ct))
        {
            try
            {
                written += await SummarizeAsync(clientId, now, ct) ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One client's failure must not starve the others; the next run tries again.
                logger.LogWarning(e, "Daily summary of client {ClientId} failed", clientId);
            }
        }

        return written;
    }

    public static string KeyFor(string clientId, DateOnly localDate, string address) =>
        $"summary/{clientId}/{localDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{address.ToLowerInvariant()}";

    private async Task<bool> SummarizeAsync(string clientId, DateTimeOffset now, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        var emails = client?.Config?.Alerts?.Emails?.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        if (client is null || emails.Count == 0)
        {
            return false;
        }

        var zone = ClientZone.Of(client);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        if (TimeOnly.FromDateTime(local.DateTime) < SendFrom)
        {
            return false;
        }

        var today = DateOnly.FromDateTime(local.DateTime);
        var missing = new List<string>();
        foreach (var address in emails)
        {
            // A point read per address: the figures are counted only when some summary of today is still unwritten.
            if (await outbox.GetAsync(clientId, StaffOutbox.IdFor(clientId, KeyFor(clientId, today, address)), ct) is null)
            {
                missing.Add(address);
            }
        }

        if (missing.Count == 0)
        {
            return false;
        }

        var figures = await FiguresAsync(client, zone, today.AddDays(-1), ct);
        var email = DailySummaryMessage.Compose(figures, client.Name, zone, AlertMessages.German(client.Config?.Language));
        foreach (var address in missing)
        {
            await staff.EmailAsync(clientId, OutboxItem.NoLead, OutboxPurpose.DailySummary, address, KeyFor(clientId, today, address), email, now, ct);
        }

        logger.LogInformation("Daily summary of {Day} for client {ClientId} written to {Count} address(es)", figures.Day, clientId, missing.Count);
        return true;
    }

    private async Task<DailyFigures> FiguresAsync(Client client, TimeZoneInfo zone, DateOnly day, CancellationToken ct)
    {
        var from = StartOf(day, zone);
        var to = StartOf(day.AddDays(1), zone);
        var activity = await report.CountAsync(client.Id, from, to, ct);
        var booked = await meetings.CountBookedAsync(client.Id, from, to, ct);
        var cost = (await usage.ReportAsync(client.Id, null, from, to, ct)).Total.CostUsd;
        return new DailyFigures(day, activity, booked, cost);
    }

    /// <summary>Local midnight of <paramref name="day"/> as an instant; where a clock change skips midnight, the first valid local time after it.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

/// <summary>The daily summary's wording, in English or German.</summary>
public static class DailySummaryMessage
{
    public static StaffEmail Compose(DailyFigures figures, string clientName, TimeZoneInfo zone, bool german)
    {
        var day = StaffDates.Long(figures.Day, german);
        var a = figures.Activity;
        string Count(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? (german ? "nicht erfasst" : "not tracked");
        return new StaffEmail(
                german ? $"📊 Tagesbericht {clientName}: {day}" : $"📊 Daily summary {clientName}: {day}",
                german ? $"Ihr Tag mit SalesFlow: {day}" : $"Your day with SalesFlow: {day}")
            .Paragraph(german
                ? $"Was der Assistent gestern ({zone.Id}) für {clientName} getan hat."
                : $"What the assistant did for {clientName} yesterday ({zone.Id}).")
            .Fact(german ? "Neue Leads" : "New leads", Count(a.NewLeads))
            .Fact(german ? "Heiße Leads" : "Hot leads", Count(a.HotLeads))
            .Fact(german ? "Gebuchte Termine" : "Meetings booked", Count(figures.MeetingsBooked))
            .Fact(german ? "Gesendete Antworten" : "Replies sent", Count(a.RepliesSent))
            .Fact(german ? "An Menschen übergeben" : "Escalations", Count(a.Escalations))
            .Fact(german ? "Abmeldungen" : "Opt-outs", Count(a.OptOuts))
            .Fact(german ? "KI-Kosten" : "AI cost", figures.AiCostUsd.ToString("0.00", CultureInfo.InvariantCulture) + " USD")
            .Footer(german
                ? $"Täglich um 08:00 ({zone.Id}) an die Adressen in alerts.emails."
                : $"Sent daily at 08:00 ({zone.Id}) to the addresses in alerts.emails.");
    }
}
