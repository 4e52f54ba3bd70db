namespace SalesFlow.Core.Leads;

/// <summary>
/// How a message addresses a lead: by first name ("Anna Schmidt" → "Anna"), or, when the name starts with a title, by
/// the title and the family name ("Dr. Patel" → "Dr. Patel", "Frau Dr. Weber" → "Frau Dr. Weber"): a dentist who gave
/// "Dr. Patel" was greeted "Hi Dr.!".
/// </summary>
public static class PersonName
{
    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "herr", "frau", "hr", "fr",
    };

    /// <summary>The words to address the person by, or null when the name gives none (empty, or a title alone).</summary>
    public static string? AddressOf(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var words = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var titles = words.TakeWhile(IsTitle).Count();
        if (titles == 0)
        {
            return words[0];
        }

        return titles == words.Length ? null : string.Join(' ', words[..titles].Append(words[^1]));
    }

    /// <summary>
    /// The name an e-mail's salutation uses: in German the whole name ("Guten Tag Laura Schmidt,", the neutral formal
    /// form beside "Sie"; "Hallo Laura," answered a tax adviser's "Sehr geehrte Damen und Herren"), unless it starts with a
    /// title ("Guten Tag Dr. Keller,", "Guten Tag Frau Dr. Weber,": "Guten Tag Dr. Martin Keller," read like a form letter);
    /// in English the address (<see cref="AddressOf"/>).
    /// </summary>
    public static string? SalutationOf(string? name, bool german)
    {
        var address = AddressOf(name);
        var words = address is null ? [] : name!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return german && address is not null && !IsTitle(words[0]) ? string.Join(' ', words) : address;
    }

    private static bool IsTitle(string word) => Titles.Contains(word.TrimEnd('.'));
}
