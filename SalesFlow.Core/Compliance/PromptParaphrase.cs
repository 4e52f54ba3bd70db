namespace SalesFlow.Core.Compliance;

/// <summary>
/// The paraphrase half of the output guard (<see cref="PromptLeak"/>): an obeying model that retells our instructions
/// in its own words shares no run of words with them. Two bounded tests find it. (1) Meta-talk: phrases about one's own
/// instructions ("my instructions", "system prompt", "I was told to", "meine Anweisungen", "Systemprompt"), which a
/// sales reply has no reason to write. (2) Content overlap: per sentence of the output, its content words (lower case,
/// function words and everyday sales words removed, crudely stemmed) that all belong to one single sentence of a system
/// prompt; a sentence of at least <see cref="MinContentWords"/> such words of which at least <see cref="MinShared"/> and
/// <see cref="MinShare"/> of them are in one prompt sentence is a retelling. The thresholds were chosen on
/// Fixtures/Injection/paraphrase-tuning.tsv and measured on paraphrase-heldout.tsv (docs/reliability.md, issue 16).
/// Prompt sentences are indexed once (word → sentences), so a check is linear in the output's words; no regex.
/// A hand-rolled stemmer on purpose: a full Snowball stemmer is not in the allowed package list, and suffix stripping
/// is enough to make "prices"/"price" and "invented"/"invent" meet.
/// </summary>
public static class PromptParaphrase
{
    /// <summary>An output sentence needs this many content words before its overlap counts (short ones match by chance).</summary>
    public const int MinContentWords = 5;

    /// <summary>At least this many of them must be in one prompt sentence…</summary>
    public const int MinShared = 4;

    /// <summary>…and at least this share of them (retellings on the tuning set: 0.42 to 1; ordinary replies: at most 2 shared words).</summary>
    public const double MinShare = 0.4;

    private static readonly string[] MetaTalk =
    [
        // English: talk about one's own instructions.
        "my instructions", "my instruction", "my initial instructions", "my original instructions", "my hidden instructions",
        "the instructions i was given", "the instructions i have", "the rules i was given", "the rules i follow", "my rules say",
        "system prompt", "system prompts", "systemprompt", "system message", "system instructions", "developer message", "my prompt",
        "my guidelines", "my directives", "my programming", "my configuration", "i am programmed", "i m programmed",
        "i was programmed", "i have been programmed", "i am configured", "i m configured", "i was configured",
        "i was instructed", "i am instructed", "i m instructed", "i have been instructed", "i ve been instructed",
        "i was told to", "i have been told to", "i ve been told to", "i am told to", "i m told to", "i was asked to never", "i must never reveal",
        // German.
        "meine anweisungen", "meinen anweisungen", "meiner anweisungen", "meine anweisung", "meine instruktionen",
        "meinen instruktionen", "meine vorgaben", "meinen vorgaben", "meine regeln", "meinen regeln", "meine programmierung",
        "meine konfiguration", "meinem systemprompt", "meinen systemprompt", "systemanweisung", "systemanweisungen",
        "systemnachricht", "mir wurde gesagt", "mir wurde aufgetragen", "man hat mir aufgetragen", "man hat mir gesagt",
        "ich wurde angewiesen", "ich bin angewiesen", "ich wurde instruiert", "ich bin so programmiert",
        "ich wurde so programmiert", "ich soll laut",
    ];

    private static readonly HashSet<string> StopWords = new(Split("""
        a an the and or but if then than so as of to in on at by for with from into about over under up down out off this
        that these those it its is are was were be been being am do does did doing have has had having i me my mine we us
        our ours you your yours he him his she her they them their what which who whom whose when where why how all any
        each every both few more most other some such not nor only own same too very can could will would shall should may
        might must just also there here now again once let lets get gets got make makes made s t ve re ll d m one yes ok
        whether while because since until though although either neither
        der die das den dem des ein eine einer einen einem eines und oder aber wenn dann als wie so zu zum zur im in am an
        auf aus bei mit nach von vom vor für über unter um durch ist sind war waren sein seine bin bist wird werden wurde
        würde würden hat haben hatte hätte ich mir mich mein meine wir uns unser unsere sie ihr ihnen ihre ihren ihrem es er
        dass nicht kein keine keinen auch noch schon nur sehr ja nein was wer wo wann warum welche welcher welches dieser
        diese dieses jetzt hier da mal doch kann können könnte möchte möchten soll sollen sollte muss müssen darf dürfen
        will man sich einen etwas
        """).Select(Stem));

    // Words every sales conversation uses: sharing them with a prompt says nothing.
    private static readonly HashSet<string> SalesWords = new(Split("""
        thank thanks help happy great glad good nice like love want team call today week please hi hello hey dear regards
        best sure course know see look new well much many really right way work use still yet already maybe something
        anything everything nothing thing day time business customer customers question questions next step message
        reply email mail e-mail talk contact details info information
        danke gerne gern hallo grüße viele heute woche bitte frage fragen gespräch team kunde kunden zeit tag nachricht
        """).Select(Stem));

    private static readonly string[] MetaTalkPhrases = MetaTalk.Select(c => " " + string.Join(' ', PromptLeak.Words(c)) + " ").ToArray();

    private static readonly PromptIndex Index = new(PromptLeak.ProtectedTexts());

    /// <summary>The evidence of a retold prompt ("meta-talk …" or "paraphrase …"), or null.</summary>
    public static string? Find(string normalisedText)
    {
        ArgumentNullException.ThrowIfNull(normalisedText);
        return MetaTalkIn(normalisedText) ?? OverlapIn(normalisedText);
    }

    /// <summary>The first phrase about one's own instructions in the text, or null.</summary>
    public static string? MetaTalkIn(string normalisedText)
    {
        var joined = " " + string.Join(' ', PromptLeak.Words(normalisedText)) + " ";
        foreach (var phrase in MetaTalkPhrases)
        {
            if (joined.Contains(phrase, StringComparison.Ordinal))
            {
                return "meta-talk \"" + phrase.Trim() + "\"";
            }
        }

        return null;
    }

    /// <summary>The first sentence that retells one sentence of a system prompt in other words, or null.</summary>
    public static string? OverlapIn(string normalisedText)
    {
        foreach (var sentence in Sentences(normalisedText))
        {
            var content = ContentStems(sentence);
            if (content.Count >= MinContentWords && Index.BestOverlap(content) is var shared && shared >= MinShared && shared >= MinShare * content.Count)
            {
                return $"paraphrase ({shared} of {content.Count} content words in one prompt sentence)";
            }
        }

        return null;
    }

    /// <summary>The best overlap of the sentence with one prompt sentence, as shared / content words (for tuning).</summary>
    public static (int Shared, int Content) Score(string normalisedSentence)
    {
        var content = ContentStems(normalisedSentence);
        return (content.Count == 0 ? 0 : Index.BestOverlap(content), content.Count);
    }

    /// <summary>The sentences of a text: cut at . ! ? and line breaks.</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] is '.' or '!' or '?' or '\n' or '\r')
            {
                if (i > start)
                {
                    yield return text[start..i];
                }

                start = i + 1;
            }
        }
    }

    private static HashSet<string> ContentStems(string sentence)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in PromptLeak.Words(sentence))
        {
            if (word.Length < 2 || char.IsDigit(word[0]))
            {
                continue;
            }

            var stem = Stem(word);
            if (!StopWords.Contains(stem) && !SalesWords.Contains(stem))
            {
                set.Add(stem);
            }
        }

        return set;
    }

    private static IEnumerable<string> Split(string list) => list.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Crude English/German suffix stripping: plural, -ing, -ed, -ly, German -en/-er/-e; then a final e.</summary>
    private static string Stem(string word)
    {
        var w = word;
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            w = w[..^3] + "y";
        }
        else if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal))
        {
            w = w[..^1];
        }

        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal))
        {
            w = w[..^3];
        }
        else if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.Length > 4 && w.EndsWith("ly", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.Length > 5 && (w.EndsWith("en", StringComparison.Ordinal) || w.EndsWith("er", StringComparison.Ordinal)))
        {
            w = w[..^2];
        }

        return w.Length > 3 && w.EndsWith('e') ? w[..^1] : w;
    }

    /// <summary>Each prompt sentence's content stems, and for each stem the sentences that hold it.</summary>
    private sealed class PromptIndex
    {
        private readonly Dictionary<string, int[]> _sentencesOf;
        private readonly int _count;

        public PromptIndex(IEnumerable<string> prompts)
        {
            var postings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var prompt in prompts)
            {
                foreach (var sentence in Sentences(PromptLeak.Normalise(prompt).Replace('\n', ' ')))
                {
                    var stems = ContentStems(sentence);
                    if (stems.Count == 0)
                    {
                        continue;
                    }

                    foreach (var stem in stems)
                    {
                        if (!postings.TryGetValue(stem, out var list))
                        {
                            postings[stem] = list = [];
                        }

                        list.Add(_count);
                    }

                    _count++;
                }
            }

            _sentencesOf = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        }

        public int BestOverlap(HashSet<string> stems)
        {
            Span<int> counts = _count <= 512 ? stackalloc int[_count] : new int[_count];
            var best = 0;
            foreach (var stem in stems)
            {
                if (_sentencesOf.TryGetValue(stem, out var sentences))
                {
                    foreach (var s in sentences)
                    {
                        best = Math.Max(best, ++counts[s]);
                    }
                }
            }

            return best;
        }
    }
}
