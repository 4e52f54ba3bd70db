using System.Text;
using System.Text.RegularExpressions;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>
/// A word-by-word English gloss of a German message ("Können wir nächste Woche telefonieren?" → "can we next week
/// phone?"), so the English-only sentence-embedding model reads a German lead nearly as it reads an English one and the
/// models carry what they learnt from English rows over to German. Our own code because no translation model or
/// multilingual embedding model is served here; the glossary (Models/glossary-de-en.tsv) is our own. Words it does not
/// know are split as compounds ("Terminvorschlag" → "appointment suggestion") or kept as written (names, brands,
/// English loanwords).
/// </summary>
public sealed partial class GermanGloss
{
    /// <summary>The shortest part a compound is split into ("Preis|liste"), so short endings do not make false splits.</summary>
    private const int MinPart = 3;

    /// <summary>
    /// Longer "words" are not split: real compounds in messages are shorter, and the cost of trying every split grows
    /// with the cube of the length (a crafted 320-letter word took 7 ms, a whole message's reading).
    /// </summary>
    private const int MaxCompoundLength = 40;

    /// <summary>A compound is read as at most this many known parts ("Kunden|service|nummer").</summary>
    private const int MaxCompoundParts = 3;

    /// <summary>
    /// Only the opening is glossed: the embedding reads the first <see cref="SentenceEmbedder.MaxCharacters"/> characters
    /// of the gloss, and a gloss is about as long as its German, so twice as many German characters leave ample margin.
    /// </summary>
    private const int MaxGlossedCharacters = 2 * SentenceEmbedder.MaxCharacters;

    private readonly Dictionary<string, string> _glossary;

    public GermanGloss(Dictionary<string, string> glossary) => _glossary = glossary;

    /// <summary>The glossary shipped in this assembly, loaded once per process.</summary>
    public static GermanGloss Embedded => Shared.Value;

    private static readonly Lazy<GermanGloss> Shared = new(() =>
    {
        using var stream = MlNetUtteranceClassifier.Resource(ResourceName);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    });

    public const string ResourceName = "glossary-de-en.tsv";

    /// <summary>Reads the glossary file: a comment line, then <c>german TAB english</c> per line.</summary>
    public static GermanGloss Parse(string tsv)
    {
        var glossary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in tsv.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var tab = trimmed.IndexOf('\t');
            if (tab <= 0 || tab == trimmed.Length - 1)
            {
                throw new FormatException($"The glossary line '{trimmed}' is not 'german<TAB>english'.");
            }

            if (!glossary.TryAdd(trimmed[..tab].ToLowerInvariant(), trimmed[(tab + 1)..]))
            {
                throw new FormatException($"The glossary has '{trimmed[..tab]}' twice.");
            }
        }

        return new GermanGloss(glossary);
    }

    public int Count => _glossary.Count;

    /// <summary>What a model whose embedding feature is <paramref name="feature"/> embeds for a message in <paramref name="language"/>.</summary>
    public string TextToEmbed(string text, string language, EmbeddingFeature feature) =>
        feature == EmbeddingFeature.GermanGlossed && language == "de" ? Gloss(text) : text;

    /// <summary>The text with every German word the glossary knows (whole or as a compound) replaced by its English gloss.</summary>
    public string Gloss(string text) =>
        Word().Replace(text.Length > MaxGlossedCharacters ? text[..MaxGlossedCharacters] : text, match => Translate(match.Value) ?? match.Value);

    private string? Translate(string word)
    {
        var lower = word.ToLowerInvariant();
        return Lookup(lower) ?? Lookup(WithUmlauts(lower)) ?? Hyphenated(lower) ?? Compound(lower, MaxCompoundParts);
    }

    /// <summary>"preis-leistungs-verhältnis" → each part glossed where known.</summary>
    private string? Hyphenated(string word)
    {
        if (!word.Contains('-', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = word.Split('-').Select(part => Lookup(part) ?? Compound(part, MaxCompoundParts)).ToArray();
        return parts.Any(part => part is not null)
            ? string.Join(' ', word.Split('-').Zip(parts, (part, gloss) => gloss ?? part))
            : null;
    }

    private string? Lookup(string word) => _glossary.GetValueOrDefault(word);

    /// <summary>"moechte" → "möchte": leads on keyboards without umlauts write them out.</summary>
    private static string WithUmlauts(string word) =>
        word.Replace("ae", "ä", StringComparison.Ordinal).Replace("oe", "ö", StringComparison.Ordinal).Replace("ue", "ü", StringComparison.Ordinal);

    /// <summary>
    /// A compound as its known head and a known (or itself compound) modifier, preferring the longest head:
    /// "kundennummer" → "customer number"; a linking s ("vertrags|laufzeit") is dropped when only the bare modifier is known.
    /// </summary>
    private string? Compound(string word, int parts)
    {
        if (word.Length > MaxCompoundLength || parts < 2)
        {
            return null;
        }

        for (var split = MinPart; split <= word.Length - MinPart; split++)
        {
            var head = Lookup(word[split..]);
            if (head is null)
            {
                continue;
            }

            var modifier = word[..split];
            var modifierGloss = Lookup(modifier)
                ?? (modifier.EndsWith('s') && modifier.Length > MinPart ? Lookup(modifier[..^1]) : null)
                ?? Compound(modifier, parts - 1);
            if (modifierGloss is not null)
            {
                return $"{modifierGloss} {head}";
            }
        }

        return null;
    }

    [GeneratedRegex(@"[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*")]
    private static partial Regex Word();
}
