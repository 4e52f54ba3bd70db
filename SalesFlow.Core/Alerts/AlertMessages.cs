using System.Globalization;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Outreach;

namespace SalesFlow.Core.Alerts;

/// <summary>What an alert says about its lead (the lead as stored, the company and role the conversation revealed).</summary>
public sealed record AlertLead(Lead Lead, string? Company, string? Role)
{
    public string DisplayName => string.IsNullOrWhiteSpace(Lead.Name) ? Lead.Email ?? Lead.Phone ?? Lead.Id : Lead.Name.Trim();

    /// <summary>"Anna Schmidt (Acme GmbH)", or the name alone.</summary>
    public string Title => string.IsNullOrWhiteSpace(Company) ? DisplayName : $"{DisplayName} ({Company.Trim()})";
}

/// <summary>The staff alerts' wording, in English or German (the client's language).</summary>
public static class AlertMessages
{
    public static bool German(string? clientLanguage) => RulesOutreachWriter.IsGerman(clientLanguage);

    public static StaffEmail Hot(LeadBecameHot hot, AlertLead lead, string clientName, bool german)
    {
        var email = new StaffEmail(
            german ? $"🔥 Heißer Lead: {lead.Title}" : $"🔥 Hot lead: {lead.Title}",
            german ? $"{lead.DisplayName} ist jetzt ein heißer Lead" : $"{lead.DisplayName} is now a hot lead")
            .Paragraph(german
                ? "Budget, Entscheidungsbefugnis, Bedarf und Zeitplan sprechen für einen Abschluss. Jetzt ist der beste Moment, sich persönlich zu melden."
                : "Budget, authority, need and timeline point to a deal. Now is the best moment to get in touch personally.");
        return Contact(email, lead, german)
            .Fact(german ? "Score" : "Score", hot.Score.ToString("0.00", CultureInfo.InvariantCulture))
            .Footer(Footer(clientName, german));
    }

    public static StaffEmail Escalated(LeadEscalated escalated, AlertLead lead, IReadOnlyList<Message> lastMessages, string clientName, bool german)
    {
        var email = new StaffEmail(
            german ? $"⚠️ Bitte übernehmen: {lead.Title}" : $"⚠️ Human needed: {lead.Title}",
            german ? $"{lead.DisplayName} braucht einen Menschen" : $"{lead.DisplayName} needs a human")
            .Paragraph(german
                ? "Der Assistent antwortet diesem Lead nicht mehr automatisch, bis jemand übernimmt."
                : "The assistant no longer answers this lead automatically until someone takes over.")
            .Fact(german ? "Grund" : "Reason", escalated.Reason);
        return Contact(email, lead, german)
            .Quotes(german ? "Die letzten Nachrichten" : "The last messages", lastMessages.Select(m => (Who(m, lead, german), m.Text)))
            .Footer(Footer(clientName, german));
    }

    public static StaffEmail MeetingBooked(MeetingBooked booked, AlertLead lead, TimeZoneInfo clientZone, string clientName, bool german)
    {
        var start = TimeZoneInfo.ConvertTime(booked.Start, clientZone);
        var end = TimeZoneInfo.ConvertTime(booked.End, clientZone);
        var when = $"{StaffDates.Short(DateOnly.FromDateTime(start.DateTime), german)}, {StaffDates.Time(start)}–{StaffDates.Time(end)} ({clientZone.Id})";
        var email = new StaffEmail(
            german ? $"📅 Termin gebucht: {lead.Title}" : $"📅 Meeting booked: {lead.Title}",
            german ? $"{lead.DisplayName} hat einen Termin gebucht" : $"{lead.DisplayName} booked a meeting")
            .Fact(german ? "Wann" : "When", when);
        if (booked.TimeZone != clientZone.Id)
        {
            email.Fact(german ? "Zeitzone des Leads" : "Lead's time zone", booked.TimeZone);
        }

        return Contact(email, lead, german).Footer(Footer(clientName, german));
    }

    /// <summary>The on-call SMS for a hot lead: short, no message content.</summary>
    public static string HotSms(AlertLead lead, LeadBecameHot hot, bool german)
    {
        var contact = lead.Lead.Phone ?? lead.Lead.Email;
        var score = hot.Score.ToString("0.00", CultureInfo.InvariantCulture);
        return german
            ? $"Heißer Lead: {lead.Title}, Score {score}{(contact is null ? "" : $", {contact}")}. Details per E-Mail."
            : $"Hot lead: {lead.Title}, score {score}{(contact is null ? "" : $", {contact}")}. Details by e-mail.";
    }

    private static StaffEmail Contact(StaffEmail email, AlertLead lead, bool german) => email
        .Fact("Name", lead.Lead.Name)
        .Fact(german ? "Firma" : "Company", lead.Company)
        .Fact(german ? "Rolle" : "Role", lead.Role)
        .Fact(german ? "E-Mail" : "E-mail", lead.Lead.Email)
        .Fact(german ? "Telefon" : "Phone", lead.Lead.Phone)
        .Fact("Lead-ID", lead.Lead.Id);

    private static string Who(Message message, AlertLead lead, bool german) =>
        message.Direction == MessageDirection.Inbound ? lead.DisplayName : german ? "Assistent" : "Assistant";

    private static string Footer(string clientName, bool german) => german
        ? $"Automatische Benachrichtigung von SalesFlow für {clientName}. Empfänger ändern: alerts.emails in der Konfiguration."
        : $"Automatic notification from SalesFlow for {clientName}. To change who gets these, edit alerts.emails in the config.";
}
