using System.Text.RegularExpressions;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// How an e-mail SalesFlow writes threads under the lead's e-mail it answers (RFC 5322 §3.6.4): the subject with one
/// "Re: ", In-Reply-To their Message-ID, References their References followed by their Message-ID.
/// </summary>
public static partial class EmailThreading
{
    /// <summary>Metadata keys the e-mail parser fills (<see cref="Channels.Parsing.SendGridInboundParser"/>).</summary>
    public const string SubjectKey = "subject";

    /// <summary>The References header's message ids, without angle brackets, space-separated, oldest first.</summary>
    public const string ReferencesKey = "references";

    /// <summary>Mail clients cut long chains too; the newest ids are the ones that place a reply.</summary>
    private const int MaxReferences = 20;

    /// <summary>The thread of a reply to <paramref name="inbound"/>, an e-mail the lead sent.</summary>
    public static EmailThread ReplyTo(Message inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var subject = inbound.Metadata.GetValueOrDefault(SubjectKey) ?? "";
        var references = (inbound.Metadata.GetValueOrDefault(ReferencesKey) ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();

        // Without a Message-ID header the parser derives the id from a hash: no mail client knows that one, and an id
        // always has an '@' (RFC 5322 §3.6.4, msg-id = id-left "@" id-right).
        var messageId = inbound.ProviderMessageId is { } id && id.Contains('@', StringComparison.Ordinal) ? id : null;
        if (messageId is not null && !references.Contains(messageId, StringComparer.Ordinal))
        {
            references.Add(messageId);
        }

        return new EmailThread(ReplySubject(subject), messageId, references.TakeLast(MaxReferences).ToList());
    }

    /// <summary>"Re: " + the subject, unless it already starts with "Re:" (in any case): never "Re: Re:".</summary>
    public static string ReplySubject(string subject)
    {
        var trimmed = (subject ?? "").Trim();
        return ReplyPrefix().IsMatch(trimmed) ? trimmed : ("Re: " + trimmed).TrimEnd();
    }

    /// <summary>The message ids of a References (or In-Reply-To) header value, without angle brackets.</summary>
    public static IReadOnlyList<string> MessageIds(string? header) =>
        header is null ? [] : AngleId().Matches(header).Select(m => m.Groups[1].Value.Trim()).Where(v => v.Length > 0).ToList();

    [GeneratedRegex(@"^re\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"<([^<>\s]+)>")]
    private static partial Regex AngleId();
}
