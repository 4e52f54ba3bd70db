using SalesFlow.Eval;

// dotnet run --project tools/SalesFlow.Eval -c Release -- retrieval <corpus.jsonl> <queries.jsonl> <qrels.tsv> [unrelated.txt]
if (args is not ["retrieval", var corpus, var queries, var qrels, ..])
{
    Console.Error.WriteLine("usage: SalesFlow.Eval retrieval <corpus.jsonl> <queries.jsonl> <qrels.tsv> [unrelated-queries.txt]");
    Console.Error.WriteLine("  corpus.jsonl: {\"id\",\"text\",\"title\"?} per line; queries.jsonl: {\"id\",\"text\"}; qrels.tsv: query-id<TAB>corpus-id[<TAB>score] (BEIR layout).");
    return 2;
}

var set = EvalSet.Load(corpus, queries, qrels, args.Length > 4 ? args[4] : null);
var report = await RetrievalEvaluation.RunAsync(set, Console.Error);
Console.WriteLine(report);
return 0;
