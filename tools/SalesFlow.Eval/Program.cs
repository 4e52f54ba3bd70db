using SalesFlow.Eval;

// dotnet run --project tools/SalesFlow.Eval -c Release -- retrieval <corpus.jsonl> <queries.jsonl> <qrels.tsv> [unrelated.txt]
// dotnet run --project tools/SalesFlow.Eval -c Release -- brain-train   (retrains the models in SalesFlow.Infrastructure/Brain/Models)
// dotnet run --project tools/SalesFlow.Eval -c Release -- brain-explain "text" …  (rules, model and combined reading of each text)
// dotnet run --project tools/SalesFlow.Eval -c Release -- brain-eval    (accuracy on blind, other_source and the rule-brain fixtures)
switch (args)
{
    case ["brain-train", ..]:
        return BrainTrainer.Run(Console.Error);
    case ["brain-eval", ..]:
        Console.WriteLine(BrainEvaluation.Run());
        return 0;
    case ["brain-explain", .. var texts]:
        Console.WriteLine(BrainEvaluation.Explain(texts.Length > 0 ? texts : Console.In.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        return 0;
    case ["retrieval", var corpus, var queries, var qrels, ..]:
        var set = EvalSet.Load(corpus, queries, qrels, args.Length > 4 ? args[4] : null);
        var report = await RetrievalEvaluation.RunAsync(set, Console.Error);
        Console.WriteLine(report);
        return 0;
    default:
        Console.Error.WriteLine("usage: SalesFlow.Eval retrieval <corpus.jsonl> <queries.jsonl> <qrels.tsv> [unrelated-queries.txt]");
        Console.Error.WriteLine("  corpus.jsonl: {\"id\",\"text\",\"title\"?} per line; queries.jsonl: {\"id\",\"text\"}; qrels.tsv: query-id<TAB>corpus-id[<TAB>score] (BEIR layout).");
        Console.Error.WriteLine("       SalesFlow.Eval brain-train | brain-eval");
        return 2;
}
