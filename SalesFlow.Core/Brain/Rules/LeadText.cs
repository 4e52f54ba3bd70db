using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>A lead message split into lower-case tokens plus the surface features the rules need.</summary>
internal sealed partial class LeadText
{
    private LeadText(string original, List<string> tokens, List<string> originalTokens)
    {
        Original = original;
        Tokens = tokens;
        OriginalTokens = originalTokens;
        Words = Normalise(tokens);
    }

    public string Original { get; }

    /// <summary>Lower-case word tokens; apostrophes are removed ("don't" → "dont"), hyphens split.</summary>
    public List<string> Tokens { get; }

    /// <summary>
    /// The tokens the intent rules match on: umlauts and ß folded (ä → ae, ö → oe, ü → ue, ß → ss), runs of three
    /// or more equal letters collapsed ("heyyy" → "hey"), and chat shorthand / Swiss and Austrian dialect words mapped
    /// to their standard form ("u" → "you", "rn" → "right now", "nöd" → "nicht", "chönd" → "koennen").
    /// </summary>
    public List<string> Words { get; }

    /// <summary>The same tokens in their original casing.</summary>
    public List<string> OriginalTokens { get; }

    public int QuestionMarks { get; private init; }

    public int ExclamationMarks { get; private init; }

    public bool HasCurrencySign { get; private init; }

    public static LeadText Parse(string? text)
    {
        text ??= string.Empty;
        var tokens = new List<string>();
        var original = new List<string>();
        var current = new StringBuilder();
        int questions = 0, exclamations = 0;
        var currency = false;

        void Flush()
        {
            if (current.Length > 0)
            {
                var word = current.ToString();
                original.Add(word);
                tokens.Add(word.ToLower(CultureInfo.InvariantCulture));
                current.Clear();
            }
        }

        // "we'd" loses its apostrophe below and would read "wed" (Wednesday): "we'd probably resell it" was a meeting wish.
        foreach (var c in WeWould().Replace(text, "we would"))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
                continue;
            }

            if (c is '\'' or '’' or '‘' or '`' or '´')
            {
                continue; // don't → dont, geht's → gehts
            }

            Flush();
            switch (c)
            {
                case '?': questions++; break;
                case '!': exclamations++; break;
                case '€' or '$' or '£': currency = true; break;
            }
        }

        Flush();
        return new LeadText(text, tokens, original)
        {
            QuestionMarks = questions,
            ExclamationMarks = exclamations,
            HasCurrencySign = currency,
        };
    }

    /// <summary>ä → ae, ö → oe, ü → ue, ß → ss (also for accented Swiss spellings: é → e).</summary>
    public static string Fold(string word)
    {
        var needs = false;
        foreach (var c in word)
        {
            if (c > 127)
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return word;
        }

        var folded = new StringBuilder(word.Length + 4);
        foreach (var c in word)
        {
            switch (c)
            {
                case 'ä': folded.Append("ae"); break;
                case 'ö': folded.Append("oe"); break;
                case 'ü': folded.Append("ue"); break;
                case 'ß': folded.Append("ss"); break;
                case 'é' or 'è' or 'ê': folded.Append('e'); break;
                case 'à' or 'â' or 'á': folded.Append('a'); break;
                default: folded.Append(c); break;
            }
        }

        return folded.ToString();
    }

    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.Ordinal)
    {
        // English chat shorthand
        ["u"] = ["you"], ["r"] = ["are"], ["ur"] = ["your"], ["pls"] = ["please"], ["plz"] = ["please"],
        ["thx"] = ["thanks"], ["ty"] = ["thanks"], ["rn"] = ["right", "now"], ["tmrw"] = ["tomorrow"],
        ["tmr"] = ["tomorrow"], ["2moro"] = ["tomorrow"], ["wanna"] = ["want", "to"], ["gonna"] = ["going", "to"],
        ["asap"] = ["as", "soon", "as", "possible"], ["q"] = ["question"], ["abt"] = ["about"],
        ["msg"] = ["message"], ["msgs"] = ["messages"], ["txt"] = ["text"], ["cuz"] = ["because"], ["bc"] = ["because"],
        ["ppl"] = ["people"], ["tbh"] = ["honestly"], ["ya"] = ["you"], ["yr"] = ["your"],
        ["hiya"] = ["hi"], ["heya"] = ["hey"], ["cannot"] = ["cant"], ["thru"] = ["through"], ["tho"] = ["though"], ["sup"] = ["hi"], ["wassup"] = ["hi"], ["whatsup"] = ["hi"],
        // German chat shorthand and colloquial forms
        ["grad"] = ["gerade"], ["nen"] = ["einen"], ["ne"] = ["eine"], ["gibts"] = ["gibt", "es"],
        ["gehts"] = ["geht", "es"], ["hab"] = ["habe"], ["bissl"] = ["bisschen"], ["nix"] = ["nichts"],
        ["nimmer"] = ["nicht", "mehr"], ["ned"] = ["nicht"], ["nehms"] = ["nehme", "es"],
        ["nimms"] = ["nehme", "es"], ["ueberlegs"] = ["ueberlege", "es"], ["machs"] = ["mache", "es"],
        // Swiss German
        ["noed"] = ["nicht"], ["nid"] = ["nicht"], ["isch"] = ["ist"], ["goht"] = ["geht"], ["gohts"] = ["geht", "es"],
        ["choend"] = ["koennen"], ["chasch"] = ["kannst"], ["haelfe"] = ["helfen"], ["zaeme"] = ["zusammen"],
        ["mitenand"] = ["miteinander"], ["toent"] = ["klingt"], ["merci"] = ["danke"], ["oepper"] = ["jemand"],
        ["oeppis"] = ["etwas"], ["luege"] = ["schauen"], ["aalaeute"] = ["anrufen"], ["telefoniere"] = ["telefonieren"],
        ["sali"] = ["salue"], ["gruessech"] = ["gruezi"], ["grueezi"] = ["gruezi"],
        // Austrian / Bavarian
        ["griass"] = ["gruess"], ["griasdi"] = ["gruess", "di"], ["pfiat"] = ["tschuess"], ["baba"] = ["tschuess"],
        ["ois"] = ["alles"], ["wos"] = ["was"], ["wia"] = ["wie"], ["kost"] = ["kostet"], ["mia"] = ["wir"], ["san"] = ["sind"],
        ["leit"] = ["leute"], ["guat"] = ["gut"], ["hob"] = ["habe"], ["kummt"] = ["kommt"], ["ma"] = ["wir"], ["mach"] = ["machen"],
    };

    private static List<string> Normalise(List<string> tokens)
    {
        var words = new List<string>(tokens.Count + 2);
        foreach (var token in tokens)
        {
            var word = CollapseRuns(Fold(token));
            if (Aliases.TryGetValue(word, out var replacement))
            {
                words.AddRange(replacement);
            }
            else
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>"heyyy" → "hey", "soooo" → "so"; double letters ("soon", "hallo") stay.</summary>
    private static string CollapseRuns(string word)
    {
        if (word.Length < 3)
        {
            return word;
        }

        StringBuilder? collapsed = null;
        for (var i = 0; i < word.Length; i++)
        {
            var run = 1;
            while (i + run < word.Length && word[i + run] == word[i])
            {
                run++;
            }

            if (run >= 3 && char.IsLetter(word[i]))
            {
                collapsed ??= new StringBuilder(word[..i]);
                collapsed.Append(word[i]);
                i += run - 1;
                continue;
            }

            collapsed?.Append(word, i, run);
            i += run - 1;
        }

        return collapsed?.ToString() ?? word;
    }

    [GeneratedRegex(@"\b[Ww]e['’]d\b", RegexOptions.CultureInvariant)]
    private static partial Regex WeWould();
}
