using System.Globalization;
using System.Text;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Core.Crm;

/// <summary>The note logged on the contact's timeline: the stage, the conversation summary and the meetings.</summary>
public static class CrmNoteText
{
    public static string Build(CrmLeadSnapshot s, IReadOnlyList<Meeting> meetings)
    {
        var text = new StringBuilder();
        text.Append("SalesFlow: stage ").Append(s.State.ToWire());
        if (s.Profile is { } profile)
        {
            text.Append(", ").Append(profile.Bant.Temperature).Append(" lead (score ")
                .Append(Math.Round(profile.Bant.Overall * 100).ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        text.Append('.');
        if (s.Summary is { Text.Length: > 0 } summary)
        {
            text.Append("\n\nConversation summary: ").Append(summary.Text);
        }

        foreach (var m in meetings)
        {
            text.Append("\n\nMeeting ").Append(m.Status).Append(": ")
                .Append(m.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
                .Append(" (").Append(m.TimeZone).Append(", ").Append(m.Provider).Append(')');
            if (m.Location is { Length: > 0 } location)
            {
                text.Append(", ").Append(location);
            }
        }

        return text.ToString();
    }
}
