using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// The amount in a budget as leads and the analyser write it ("€15,000", "15.000 €", "50-60k", "1,5 Mio.", "$1.2m",
/// "around 20 000 EUR"): the expected deal value the model router weighs. A range counts by its upper end (the deal
/// may be that large). Currency is not converted: the router's threshold is in the client's currency.
/// </summary>
public static partial class BudgetAmount
{
    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        decimal? best = null;
        foreach (Match m in AmountPattern().Matches(text))
        {
            var number = Number(m.Groups["n"].Value);
            if (number is not { } value)
            {
                continue;
            }

            var multiplier = Multiplier(m.Groups["m"].Value);
            var currency = m.Groups["c1"].Success || m.Groups["c2"].Success;
            // A bare year ("by 2027") is a timeline, not money.
            if (multiplier == 1 && !currency && value is >= 1900 and <= 2100 && value == decimal.Truncate(value))
            {
                continue;
            }

            var amount = value * multiplier;
            best = best is null || amount > best ? amount : best;
        }

        return best;
    }

    /// <summary>Groups of exactly three digits after ',', '.', or a space are thousands; one or two digits after ',' or '.' are decimals.</summary>
    private static decimal? Number(string raw)
    {
        var compact = raw.Replace('\u00A0', ' ').Replace('\u202F', ' ');
        if (ThousandsGrouped().IsMatch(compact))
        {
            compact = ThousandsSeparator().Replace(compact, "");
        }

        compact = compact.Replace(',', '.').Replace(" ", "");
        return decimal.TryParse(compact, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static decimal Multiplier(string suffix) => suffix.ToLowerInvariant().TrimEnd('.') switch
    {
        "" => 1m,
        "k" or "tsd" or "tausend" or "thousand" or "grand" => 1_000m,
        _ => 1_000_000m,
    };

    [GeneratedRegex(@"(?<c1>[€$£])?\s?(?<![\w.,])(?<n>\d{1,3}(?:[.,\s\u00A0\u202F]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d%])\s?(?<m>k\b|tsd\.?|tausend\b|thousand\b|grand\b|mio\.?|million(?:en|s)?\b|mn\b|m\b)?\s?(?<c2>€|\$|£|eur(?:o|os)?\b|usd\b|dollars?\b|chf\b|gbp\b|pounds?\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"^\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsGrouped();

    [GeneratedRegex(@"[.,\s](?=\d{3}(?:\D|$))", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsSeparator();
}
