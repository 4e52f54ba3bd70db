using System.Text.RegularExpressions;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// The answer the rules brain takes from the best knowledge passage: an FAQ's answer, or a
/// document's first sentences, cut at a sentence to fit. Knowledge lines arrive as "[sourceId] text".
/// </summary>
internal static partial class KnowledgeAnswer
{
    /// <summary>
    /// The answer of the best passage not given in one of <paramref name="recentReplies"/>: "ok and is there a setup fee"
    /// was given the licence-fee answer of the turn before word for word; a follow-up the knowledge base answers no better
    /// is the team's to answer. Unless the passage's FAQ question is the lead's (<see cref="ListsTheQuestion"/>): "Wo stehen
    /// die Server?" right after the privacy answer, whose FAQ lists it, was told the team would check.
    /// </summary>
    /// <param name="language">The reply's language. A passage in another one is taken only when none in the reply's language
    /// was found: a German lead whose German answer had just been given was sent its English twin.</param>
    public static string? From(IReadOnlyList<string>? knowledge, int maxChars, IReadOnlyList<string> recentReplies, string language, string question) =>
        Several(knowledge, maxChars, recentReplies, language, 1, question).FirstOrDefault();

    /// <summary>
    /// Up to <paramref name="count"/> answers from different passages, in the knowledge's order (TurnKnowledge puts each
    /// question's best passage first): an e-mail asking two things was answered one. An answer too long for the room
    /// opens at its sentence that says most about <paramref name="question"/> when that is not its first.
    /// </summary>
    public static IReadOnlyList<string> Several(IReadOnlyList<string>? knowledge, int maxChars, IReadOnlyList<string> recentReplies, string language, int count, string question)
    {
        var questionWords = TextTerms.Words(question).Distinct(StringComparer.Ordinal).ToList();
        var answers = (knowledge ?? []).SelectMany(p => Answer(p, maxChars, questionWords) is { } text
                ? [(Text: text, Passage: p, SameLanguage: LanguageDetector.Detect(LeadText.Parse(text)) == language)]
                : Array.Empty<(string Text, string Passage, bool SameLanguage)>()).ToList();
        var anyInLanguage = answers.Any(a => a.SameLanguage);
        // Read only for an answer given before (most turns have none).
        List<string>? tool = null;
        List<List<string>>? asked = null;
        bool AskedAgain(string passage)
        {
            // Each question on its own too: "thats cheap lol. whats the catch" right after the price answer, whose FAQ lists
            // "What's the catch?", shared one of its two words with it as a whole.
            asked ??= [.. Conversations.TurnKnowledge.QuestionsIn(question).Select(q => TextTerms.Words(q).Distinct(StringComparer.Ordinal).ToList())];
            tool ??= ToolWords(question);
            return ListsTheQuestion(passage, questionWords) || asked.Any(words => ListsTheQuestion(passage, words)) || (tool.Count > 0 && TextTerms.Coverage(tool, passage) >= 1);
        }

        return answers
            .Where(a => a.SameLanguage || !anyInLanguage)
            .Where(a => !recentReplies.Any(r => r.Contains(a.Text[..Math.Min(a.Text.Length, 60)], StringComparison.Ordinal)) || AskedAgain(a.Passage))
            .Select(a => a.Text)
            .Distinct(StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    /// <summary>
    /// The words of the tool the lead says it uses ("Wir nutzen Google Kalender" right after the calendar answer, which names
    /// it, was told the team would check) or the channel its customers write on ("Instagram is actually our main one tbh"
    /// right after the channels answer, which says where Instagram stands, was asked what would need to be true): an answer
    /// given before that names it is what the lead needs to hear again.
    /// </summary>
    private static List<string> ToolWords(string text) =>
        (FollowUpQuestion.ToolUsed(text) ?? FollowUpQuestion.ToolInUse(text) ?? IntentRules.ChannelItsCustomersWriteOn(LeadText.Parse(text))) is { } tool ? TextTerms.Words(tool) : [];

    private static string? Answer(string passage, int maxChars, IReadOnlyCollection<string> questionWords)
    {
        if (string.IsNullOrWhiteSpace(passage))
        {
            return null;
        }

        var text = passage.Trim();
        if (text.StartsWith('[') && text.IndexOf("] ", StringComparison.Ordinal) is var close and > 0)
        {
            text = text[(close + 2)..];
        }

        var answerAt = text.LastIndexOf("A: ", StringComparison.Ordinal);
        if (answerAt >= 0)
        {
            text = text[(answerAt + 3)..];
        }

        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? null : ReplyText.FitToLength(MostAboutTheQuestion(text, maxChars, questionWords), maxChars);
    }

    /// <summary>
    /// The answer from its sentence that shares most words with the question on, when it does not fit whole, that sentence
    /// is not its first and shares two words or more: "who can see the conversations?" was sent the hosting sentence of the
    /// privacy answer, its "Only your team sees the conversations" cut off in a chat message. One word is too little:
    /// "what channels does it support?" would have opened the channels answer at "A lead on several channels…".
    /// </summary>
    private static string MostAboutTheQuestion(string text, int maxChars, IReadOnlyCollection<string> questionWords)
    {
        if (text.Length <= maxChars || questionWords.Count < 2)
        {
            return text;
        }

        var sentences = SentenceBreak().Split(text);
        var shared = sentences.Select(sentence => TextTerms.Words(sentence).ToHashSet(StringComparer.Ordinal)).Select(words => questionWords.Count(words.Contains)).ToList();
        var best = shared.IndexOf(shared.Max());
        return best > 0 && shared[best] >= 2 && shared[best] > shared[0] ? string.Join(' ', sentences[best..]) : text;
    }

    /// <summary>
    /// Whether an FAQ passage's question part shares at least three quarters of the question's words, and two when it has two:
    /// the FAQ lists what the lead asks ("Was passiert wenn das System eine Frage nicht beantworten kann?" shares only
    /// "passiert" and "System" with the privacy FAQ's questions).
    /// </summary>
    private static bool ListsTheQuestion(string passage, IReadOnlyCollection<string> questionWords)
    {
        if (FaqQuestion(passage) is not { } listedText || questionWords.Count == 0)
        {
            return false;
        }

        var listed = TextTerms.Words(listedText).ToHashSet(StringComparer.Ordinal);
        var shared = questionWords.Count(listed.Contains);
        return shared >= Math.Min(2, questionWords.Count) && shared * 4 >= questionWords.Count * 3;
    }

    /// <summary>The question part of an FAQ passage ("Q: … A: …"), or null for a document's passage.</summary>
    public static string? FaqQuestion(string passage)
    {
        var asked = passage.IndexOf("Q: ", StringComparison.Ordinal);
        var answered = passage.LastIndexOf("A: ", StringComparison.Ordinal);
        return asked < 0 || answered <= asked ? null : passage[(asked + 3)..answered];
    }

    /// <summary>
    /// The sentence of <paramref name="answer"/> that shares most words with <paramref name="question"/> (the first on a
    /// tie, the whole answer when none shares one): what a lead checking an answer it was just given asks about. A clause
    /// after a semicolon counts as a sentence ("what about facebook messenger?" right after the channels answer was sent
    /// all of it again; its "Instagram and Messenger are not connected yet" is the part about it).
    /// </summary>
    public static string SentenceAbout(string answer, string question)
    {
        var questionWords = TextTerms.Words(question).ToHashSet(StringComparer.Ordinal);
        var sentences = SentenceBreak().Split(answer).SelectMany(sentence => sentence.Split("; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var shared = sentences.Select(sentence => TextTerms.Words(sentence).Distinct(StringComparer.Ordinal).Count(questionWords.Contains)).ToList();
        return shared.Max() == 0 ? answer : AsSentence(sentences[shared.IndexOf(shared.Max())]);
    }

    private static string AsSentence(string clause) =>
        string.Concat(char.ToUpperInvariant(clause[0]).ToString(), clause[1..], clause[^1] is '.' or '!' or '?' or '…' ? "" : ".");

    /// <summary>Between sentences: an end mark, space, a capital ("e.g. the" is no break).</summary>
    [GeneratedRegex(@"(?<=[.!?])\s+(?=\p{Lu})", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();
}
