using System.Text.Json;

namespace SalesFlow.Eval;

public sealed record EvalDoc(string Id, string Text, string? Title);

public sealed record EvalQuery(string Id, string Text);

/// <summary>A retrieval test collection in the BEIR layout, plus off-topic questions that should retrieve nothing.</summary>
public sealed record EvalSet(IReadOnlyList<EvalDoc> Corpus, IReadOnlyList<EvalQuery> Queries, IReadOnlyDictionary<string, HashSet<string>> Relevant, IReadOnlyList<string> Unrelated)
{
    /// <summary>Questions a sales assistant gets that no product FAQ answers.</summary>
    public static readonly string[] DefaultUnrelated =
    [
        "What's the weather like in Paris tomorrow?", "Who won the football world cup in 1998?", "Recommend me a good recipe for lasagne",
        "What is the capital of Australia?", "How tall is Mount Everest?", "Can you tell me a joke about cats?",
        "When does the next train to Berlin leave?", "Which movie won the Oscar for best picture last year?", "How do I get red wine out of a carpet?",
        "What time is sunset in Lisbon today?", "Is it going to snow this weekend?", "Who is the lead singer of Coldplay?",
        "How many calories are in a banana?", "What are the rules of cricket?", "Where can I buy cheap flights to Bali?",
        "How long should I boil an egg?", "What's a good name for a golden retriever puppy?", "Which planet is closest to the sun?",
        "How do I change a flat bicycle tyre?", "What's the best hiking trail near Munich?", "Tell me about the history of the Roman empire",
        "How much does a wedding dress usually cost?", "What should I plant in my garden in April?", "Who wrote Pride and Prejudice?",
        "Can dogs eat chocolate?", "How do I knit a scarf?", "What is the population of Tokyo?", "How often should I water a cactus?",
        "Which team plays at Anfield?", "What's the difference between a violin and a viola?",
    ];

    public static EvalSet Load(string corpusPath, string queriesPath, string qrelsPath, string? unrelatedPath)
    {
        var corpus = File.ReadLines(corpusPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => new EvalDoc(e.GetProperty("id").ToString(), e.GetProperty("text").GetString()!, e.TryGetProperty("title", out var t) ? t.GetString() : null)).ToList();
        var queries = File.ReadLines(queriesPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => new EvalQuery(e.GetProperty("id").ToString(), e.GetProperty("text").GetString()!)).ToList();
        var relevant = new Dictionary<string, HashSet<string>>();
        foreach (var line in File.ReadLines(qrelsPath).Skip(1).Where(l => l.Length > 0))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3 || parts[2] != "0")
            {
                (relevant.TryGetValue(parts[0], out var set) ? set : relevant[parts[0]] = []).Add(parts[1]);
            }
        }

        var unrelated = unrelatedPath is null ? DefaultUnrelated : File.ReadAllLines(unrelatedPath).Where(l => l.Trim().Length > 0).ToArray();
        return new EvalSet(corpus, queries.Where(q => relevant.ContainsKey(q.Id)).ToList(), relevant, unrelated);
    }
}
