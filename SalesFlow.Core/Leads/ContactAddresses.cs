using System.Collections.Concurrent;
using System.Net.Mail;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace SalesFlow.Core.Leads;

/// <summary>
/// Normalises the addresses leads write from, so the same person on SMS and WhatsApp is one lead. Phone numbers go
/// through Google's libphonenumber: only numbers it knows as valid become an E.164 identity key.
/// </summary>
public static partial class ContactAddresses
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper TimeZones = PhoneNumberToTimeZonesMapper.GetInstance();

    /// <summary>
    /// Normalises to E.164 or returns null when it is not a valid phone number. Providers send E.164 with '+' (Twilio,
    /// also as <c>whatsapp:+…</c>) or without (Meta's wa_id), so bare digits are first read as international; anything
    /// else a lead typed is read in the client's country (trunk '0', the country's international prefix, and '00').
    /// </summary>
    /// <param name="defaultCountryCode">The client's calling code ("49"): its main region reads national numbers.</param>
    public static string? NormalizePhone(string? raw, string defaultCountryCode)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        // A lead writes many times from one number, and every inbound message is normalised twice (the webhook checks it
        // before the 200, the journal runner again when it stores): libphonenumber's regexes were about 2 % of the app's
        // CPU under the intake load. The answer depends only on the two strings (the metadata is compiled in), so it is
        // remembered as it is, a refusal too; the client's calling code is part of the key.
        // Only what can be a phone number is kept (so the memory stays small whatever senders put there).
        if (raw.Length > MaxRememberedLength)
        {
            return NormalizePhoneUncached(raw, defaultCountryCode);
        }

        var key = (raw, defaultCountryCode);
        if (NormalizedPhones.TryGetValue(key, out var known))
        {
            return known;
        }

        var normalized = NormalizePhoneUncached(raw, defaultCountryCode);
        // Bounded by forgetting all at once (cheaper than tracking use): a flood of distinct numbers costs a re-parse.
        if (Interlocked.Increment(ref _normalizedPhoneCount) > MaxNormalizedPhones)
        {
            NormalizedPhones.Clear();
            Interlocked.Exchange(ref _normalizedPhoneCount, 1);
        }

        NormalizedPhones[key] = normalized;
        return normalized;
    }

    /// <summary>How many (raw, calling code) answers <see cref="NormalizePhone"/> remembers at most (a few MB).</summary>
    internal const int MaxNormalizedPhones = 20_000;

    private const int MaxRememberedLength = 48;

    private static readonly ConcurrentDictionary<(string Raw, string CountryCode), string?> NormalizedPhones = new();
    private static int _normalizedPhoneCount;

    private static string? NormalizePhoneUncached(string raw, string defaultCountryCode)
    {
        var value = raw.Trim();
        if (value.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["whatsapp:".Length..].Trim();
        }

        // libphonenumber leniently digs a number out of any text ("call me at …", letters as on a keypad): a sender
        // address must be the number itself, written with the usual separators.
        if (!value.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.' or '/' or '\u00a0'))
        {
            return null;
        }

        var region = int.TryParse(defaultCountryCode, out var code) ? Phones.GetRegionCodeForCountryCode(code) : UnknownRegion;
        var bareInternational = value.Length > 0 && value.All(char.IsAsciiDigit) && value[0] != '0';
        return (bareInternational ? E164("+" + value, UnknownRegion) : null)
            ?? E164(value, region)
            // '00' is the international prefix almost everywhere, also where the client's country dials another (US: 011).
            ?? (value.StartsWith("00", StringComparison.Ordinal) ? E164("+" + value[2..], UnknownRegion) : null);
    }

    /// <summary>True when the calling code belongs to a country (49, 1, 44), so national numbers can be read in it.</summary>
    public static bool IsCountryCallingCode(string code) =>
        int.TryParse(code, out var c) && Phones.GetSupportedRegions().Contains(Phones.GetRegionCodeForCountryCode(c));

    /// <summary>
    /// What a normalised number tells about its owner: the ISO country (region) and the IANA time zones it may be in
    /// (one for most countries; several for large ones when the number is not tied to an area).
    /// </summary>
    public static PhoneFacts? DescribePhone(string? e164)
    {
        if (e164 is null || !TryParse(e164, UnknownRegion, out var number) || !Phones.IsValidNumber(number))
        {
            return null;
        }

        var zones = TimeZones.GetTimeZonesForNumber(number)
            .Where(z => z != TimeZones.GetUnknownTimeZone())
            .ToList();
        return new PhoneFacts(Phones.GetRegionCodeForNumber(number), zones);
    }

    private const string UnknownRegion = "ZZ";

    private static string? E164(string value, string region) =>
        TryParse(value, region, out var number) && Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;

    private static bool TryParse(string value, string region, out PhoneNumber number)
    {
        try
        {
            number = Phones.Parse(value, region);
            return true;
        }
        catch (NumberParseException)
        {
            number = null!;
            return false;
        }
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

/// <summary>What a phone number tells: its ISO country and the time zones it may be in (empty when unknown).</summary>
public sealed record PhoneFacts(string Country, IReadOnlyList<string> TimeZones)
{
    /// <summary>The time zone when the number names exactly one, else null.</summary>
    public string? TimeZone => TimeZones.Count == 1 ? TimeZones[0] : null;

    /// <summary>
    /// The zone to assume when nothing else tells (null when none is known): the number's country's own zone among
    /// them, else the first. A UK mobile maps to Guernsey, Isle of Man, Jersey and London alike, and a Leeds lead was
    /// offered "Times in Europe/Guernsey"; the country's own zone comes from the CLDR data the runtime carries. An Irish
    /// number is listed with those four and not with Dublin: the country's own zone in the same Windows zone stands in.
    /// </summary>
    public string? LikelyZone =>
        TimeZones.FirstOrDefault(zone => string.Equals(CountrysOwn(zone), zone, StringComparison.Ordinal))
        ?? TimeZones.Select(CountrysOwn).FirstOrDefault(zone => zone is not null)
        ?? TimeZones.FirstOrDefault();

    /// <summary>The country's zone that keeps the same clock as <paramref name="zone"/> (CLDR), or null when none is known.</summary>
    private string? CountrysOwn(string zone) =>
        TimeZoneInfo.TryConvertIanaIdToWindowsId(zone, out var windows)
        && TimeZoneInfo.TryConvertWindowsIdToIanaId(windows, Country, out var own)
            ? own
            : null;
}
