using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Leads;

/// <summary>
/// Normalises the addresses leads write from, so the same person on SMS and WhatsApp is one lead.
/// libphonenumber is not available here; the rules below cover what providers actually send
/// (Meta: digits with country code, no plus; Twilio: E.164; people: spaces, dashes, 00 and national 0).
/// </summary>
public static partial class ContactAddresses
{
    /// <summary>Normalises to E.164 (+ and 8–15 digits) or returns null when it is not a phone number.</summary>
    public static string? NormalizePhone(string? raw, string defaultCountryCode)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.Trim();
        if (value.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["whatsapp:".Length..];
        }

        var digits = new StringBuilder(value.Length);
        var plus = false;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0)
            {
                plus = true;
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '/' or '\u00a0'))
            {
                return null;
            }
        }

        var d = digits.ToString();
        if (!plus)
        {
            if (d.StartsWith("00", StringComparison.Ordinal))
            {
                d = d[2..];
            }
            else if (d.StartsWith('0'))
            {
                // A national number: the client's country tells the calling code.
                d = defaultCountryCode + d[1..];
            }

            // Otherwise digits already carrying the country code (Meta's wa_id form).
        }

        return d.Length is >= 8 and <= 15 && d[0] != '0' ? "+" + d : null;
    }

    /// <summary>Lower-cased bare address, or null when it is not a valid e-mail address.</summary>
    public static string? NormalizeEmail(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || !MailAddress.TryCreate(raw.Trim(), out var address))
        {
            return null;
        }

        var bare = address.Address.ToLowerInvariant();
        return EmailPattern().IsMatch(bare) ? bare : null;
    }

    /// <summary>The first e-mail address a lead wrote in a message, if any.</summary>
    public static string? FindEmailIn(string text)
    {
        var match = EmailPattern().Match(text);
        return match.Success ? NormalizeEmail(match.Value) : null;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
