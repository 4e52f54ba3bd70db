using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Leads;

/// <summary>
/// The time zone a lead names in a message ("I'm in Chicago", "call me at 3pm EST", "Pacific time works", "ich wohne
/// in Wien", "Europe/Berlin"), as an IANA id; null when the message names none. Conservative on purpose: only cities
/// and countries of one zone, upper-case zone abbreviations that mean one thing (CST, IST are ambiguous and ignored),
/// and IANA ids the system knows. Quiet hours are read in this zone (<see cref="Reach.LeadTimeZone"/>).
/// </summary>
public static partial class StatedTimeZone
{
    private static readonly Dictionary<string, string> Places = new(StringComparer.Ordinal)
    {
        ["berlin"] = "Europe/Berlin", ["hamburg"] = "Europe/Berlin", ["munich"] = "Europe/Berlin", ["muenchen"] = "Europe/Berlin",
        ["cologne"] = "Europe/Berlin", ["koeln"] = "Europe/Berlin", ["frankfurt"] = "Europe/Berlin", ["stuttgart"] = "Europe/Berlin",
        ["duesseldorf"] = "Europe/Berlin", ["leipzig"] = "Europe/Berlin", ["dresden"] = "Europe/Berlin", ["germany"] = "Europe/Berlin",
        ["deutschland"] = "Europe/Berlin", ["vienna"] = "Europe/Vienna", ["wien"] = "Europe/Vienna", ["austria"] = "Europe/Vienna",
        ["oesterreich"] = "Europe/Vienna", ["zurich"] = "Europe/Zurich", ["zuerich"] = "Europe/Zurich", ["bern"] = "Europe/Zurich",
        ["basel"] = "Europe/Zurich", ["switzerland"] = "Europe/Zurich", ["schweiz"] = "Europe/Zurich", ["london"] = "Europe/London",
        ["manchester"] = "Europe/London", ["the uk"] = "Europe/London", ["uk"] = "Europe/London", ["england"] = "Europe/London",
        ["dublin"] = "Europe/Dublin", ["ireland"] = "Europe/Dublin", ["paris"] = "Europe/Paris", ["france"] = "Europe/Paris",
        ["frankreich"] = "Europe/Paris", ["madrid"] = "Europe/Madrid", ["barcelona"] = "Europe/Madrid", ["spain"] = "Europe/Madrid",
        ["spanien"] = "Europe/Madrid", ["rome"] = "Europe/Rome", ["milan"] = "Europe/Rome", ["italy"] = "Europe/Rome",
        ["italien"] = "Europe/Rome", ["amsterdam"] = "Europe/Amsterdam", ["the netherlands"] = "Europe/Amsterdam",
        ["brussels"] = "Europe/Brussels", ["lisbon"] = "Europe/Lisbon", ["warsaw"] = "Europe/Warsaw", ["prague"] = "Europe/Prague",
        ["stockholm"] = "Europe/Stockholm", ["copenhagen"] = "Europe/Copenhagen", ["oslo"] = "Europe/Oslo", ["helsinki"] = "Europe/Helsinki",
        ["new york"] = "America/New_York", ["nyc"] = "America/New_York", ["boston"] = "America/New_York", ["miami"] = "America/New_York",
        ["atlanta"] = "America/New_York", ["toronto"] = "America/Toronto", ["chicago"] = "America/Chicago", ["dallas"] = "America/Chicago",
        ["houston"] = "America/Chicago", ["austin"] = "America/Chicago", ["denver"] = "America/Denver", ["phoenix"] = "America/Phoenix",
        ["los angeles"] = "America/Los_Angeles", ["san francisco"] = "America/Los_Angeles", ["seattle"] = "America/Los_Angeles",
        ["vancouver"] = "America/Vancouver", ["sydney"] = "Australia/Sydney", ["melbourne"] = "Australia/Melbourne",
        ["dubai"] = "Asia/Dubai", ["singapore"] = "Asia/Singapore", ["tokyo"] = "Asia/Tokyo", ["japan"] = "Asia/Tokyo",
        ["mumbai"] = "Asia/Kolkata", ["india"] = "Asia/Kolkata", ["sao paulo"] = "America/Sao_Paulo",
        ["bristol"] = "Europe/London", ["birmingham"] = "Europe/London", ["leeds"] = "Europe/London", ["liverpool"] = "Europe/London",
        ["sheffield"] = "Europe/London", ["nottingham"] = "Europe/London", ["leicester"] = "Europe/London", ["brighton"] = "Europe/London",
        ["glasgow"] = "Europe/London", ["edinburgh"] = "Europe/London", ["cardiff"] = "Europe/London", ["belfast"] = "Europe/London",
        ["newcastle"] = "Europe/London", ["scotland"] = "Europe/London", ["wales"] = "Europe/London", ["cork"] = "Europe/Dublin", ["galway"] = "Europe/Dublin",
        ["bremen"] = "Europe/Berlin", ["hannover"] = "Europe/Berlin", ["hanover"] = "Europe/Berlin", ["nuernberg"] = "Europe/Berlin",
        ["nuremberg"] = "Europe/Berlin", ["essen"] = "Europe/Berlin", ["dortmund"] = "Europe/Berlin", ["bonn"] = "Europe/Berlin",
        ["mainz"] = "Europe/Berlin", ["freiburg"] = "Europe/Berlin", ["heidelberg"] = "Europe/Berlin", ["mannheim"] = "Europe/Berlin",
        ["karlsruhe"] = "Europe/Berlin", ["augsburg"] = "Europe/Berlin", ["muenster"] = "Europe/Berlin", ["kiel"] = "Europe/Berlin",
        ["rostock"] = "Europe/Berlin", ["potsdam"] = "Europe/Berlin", ["wiesbaden"] = "Europe/Berlin", ["graz"] = "Europe/Vienna",
        ["salzburg"] = "Europe/Vienna", ["linz"] = "Europe/Vienna", ["innsbruck"] = "Europe/Vienna", ["genf"] = "Europe/Zurich",
        ["geneva"] = "Europe/Zurich", ["luzern"] = "Europe/Zurich", ["lucerne"] = "Europe/Zurich", ["lausanne"] = "Europe/Zurich",
        ["san diego"] = "America/Los_Angeles", ["oakland"] = "America/Los_Angeles", ["sacramento"] = "America/Los_Angeles",
        ["las vegas"] = "America/Los_Angeles", ["philadelphia"] = "America/New_York", ["detroit"] = "America/Detroit",
        ["minneapolis"] = "America/Chicago", ["nashville"] = "America/Chicago", ["new orleans"] = "America/Chicago",
        ["salt lake city"] = "America/Denver", ["montreal"] = "America/Toronto", ["calgary"] = "America/Edmonton",
    };

    /// <summary>Written in capitals these name one zone; "CST" (China or US Central) and "IST" (India, Ireland, Israel) do not.</summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["CET"] = "Europe/Berlin", ["CEST"] = "Europe/Berlin", ["MEZ"] = "Europe/Berlin", ["MESZ"] = "Europe/Berlin",
        ["GMT"] = "Europe/London", ["BST"] = "Europe/London", ["EST"] = "America/New_York", ["EDT"] = "America/New_York",
        ["CDT"] = "America/Chicago", ["MST"] = "America/Denver", ["MDT"] = "America/Denver", ["PST"] = "America/Los_Angeles",
        ["PDT"] = "America/Los_Angeles", ["AEST"] = "Australia/Sydney", ["AEDT"] = "Australia/Sydney", ["JST"] = "Asia/Tokyo",
    };

    private static readonly Dictionary<string, string> Regions = new(StringComparer.Ordinal)
    {
        ["eastern"] = "America/New_York", ["central"] = "America/Chicago", ["mountain"] = "America/Denver", ["pacific"] = "America/Los_Angeles",
        ["uk"] = "Europe/London", ["london"] = "Europe/London", ["berlin"] = "Europe/Berlin", ["german"] = "Europe/Berlin", ["deutscher"] = "Europe/Berlin",
    };

    public static string? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Iana().Match(text) is { Success: true } iana && TimeZoneInfo.TryFindSystemTimeZoneById(iana.Value, out _))
        {
            return iana.Value;
        }

        foreach (Match word in Capitals().Matches(text))
        {
            if (Abbreviations.TryGetValue(word.Value, out var zone))
            {
                return zone;
            }
        }

        var folded = Fold(text);
        if (RegionTime().Match(folded) is { Success: true } region && Regions.TryGetValue(region.Groups[1].Value, out var regional))
        {
            return regional;
        }

        foreach (Match place in Location().Matches(folded))
        {
            var words = place.Groups["place"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // The longest known place the statement starts with: "new york city" is New York, "berlin mitte" is Berlin.
            for (var n = Math.Min(3, words.Length); n > 0; n--)
            {
                if (Places.TryGetValue(string.Join(' ', words[..n]), out var zone))
                {
                    return zone;
                }
            }
        }

        return null;
    }

    /// <summary>Lower case, umlauts spelt out (München → muenchen), other accents dropped (São → sao).</summary>
    private static string Fold(string text)
    {
        var lower = text.ToLowerInvariant().Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal)
            .Replace("ü", "ue", StringComparison.Ordinal).Replace("ß", "ss", StringComparison.Ordinal);
        var plain = new StringBuilder(lower.Length);
        foreach (var c in lower.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(c);
            }
        }

        return plain.ToString();
    }

    [GeneratedRegex(@"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Pacific)/[A-Za-z_]+(?:/[A-Za-z_]+)?\b")]
    private static partial Regex Iana();

    [GeneratedRegex(@"\b[A-Z]{3,4}\b")]
    private static partial Regex Capitals();

    [GeneratedRegex(@"\b(eastern|central|mountain|pacific|uk|london|berlin|german|deutscher)\s+(?:time|zeit)\b")]
    private static partial Regex RegionTime();

    /// <summary>
    /// "I'm in Chicago", "ich wohne in München", and where the lead's business is: "three clinics around Bristol", "a car
    /// detailing biz in san diego", "Malerbetrieb in Hamburg" (an e-mail lead there was offered Berlin's times).
    /// </summary>
    [GeneratedRegex(@"\b(?:(?:i'?m|i am|we'?re|we are|i live|we live|living|based|located|here|ich wohne|wir wohnen|ich bin|wir sind|wir sitzen|ich lebe|wohnhaft)\s+(?:in|aus|near|bei)|[a-z]*(?:company|business|biz|shop|store|stores|clinic|clinics|practice|practices|office|offices|studio|studios|salon|firm|agency|restaurant|cafe|gym|school|locations|branches|betrieb|praxis|praxen|kanzlei|buero|laden|firma|standorte|filialen|geschaeft)\s+(?:in|around|near|across|outside|aus|bei|im raum))\s+(?<place>[a-z][a-z ]{1,40})")]
    private static partial Regex Location();
}
