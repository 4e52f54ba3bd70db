using System.Globalization;
using System.Text;
using SalesFlow.Core.Ai;

namespace SalesFlow.RoutingEval;

/// <summary>One evaluated data set: its figures, the sensitivity rows and the judge's result (null when not run).</summary>
public sealed record SetReport(
    string DataPath,
    IReadOnlyList<RoutingConversation> Data,
    RoutingEvaluation Evaluation,
    IReadOnlyList<(string Label, RoutingSummary Summary)> Sensitivity,
    JudgeReport? Judge,
    string? JudgeNotRunBecause,
    ExtractionReport? Extraction = null);

/// <summary>The report as Markdown (the "Model routing and cost" section of docs/benchmarks.md): a summary, then one section per data set.</summary>
public static class RoutingReport
{
    public const double SavingsTarget = 0.60;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// True when routing saves at least 60 % of the whole turns' model cost (reply and extraction calls, as the app makes
    /// them) against always-large and no high-stakes turn reaches the small model.
    /// </summary>
    public static bool Passes(RoutingSummary s) => s.Turn.SavingsVsLarge >= SavingsTarget && s.HighStakesSmall == 0;

    /// <summary>True when every set passes (what the exit code reports).</summary>
    public static bool Passes(IEnumerable<SetReport> sets) => sets.All(r => Passes(r.Evaluation.Summary));

    public static string Markdown(IReadOnlyList<SetReport> sets)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sets.Count);
        var o = sets[0].Evaluation.Options;
        var settings = sets[0].Evaluation.Settings;
        var large = Price(o, o.ChatModel);
        var small = Price(o, o.SmallChatModel);
        var sb = new StringBuilder();
        sb.AppendLine("## Model routing and cost").AppendLine();
        sb.AppendLine("Reproduce (offline, deterministic, no model or network needed; without `--data` both sets in `bench/data` are evaluated, "
            + "`--data <path>` can be given more than once):").AppendLine();
        sb.AppendLine("```sh").AppendLine("dotnet run --project tools/SalesFlow.RoutingEval -c Release").AppendLine("```").AppendLine();
        sb.AppendLine(Inv, $"Every turn goes through the app's pieces: rules analyser → LeadTurnUpdater's escalation/opt-out handling → "
            + $"SalesStateMachine → LlmReplyGenerator's rules bypass and route input → ModelRouter → LlmReplyGenerator.BuildMessages → "
            + $"TokenEstimator (prompt, with the last {settings.HistoryWindow} messages as history) + a fixed expected output of "
            + $"{settings.ShortFormOutputTokens} tokens on WhatsApp/SMS/web and {settings.EmailOutputTokens} on e-mail, priced with AiOptions.CostOf.").AppendLine();
        sb.AppendLine("A turn is more than its reply. On every turn, silent and template turns included, ConversationEngine first calls "
            + "LlmInsightsExtractor: the structured extraction (intent, sentiment, next stage, BANT, DISC, key facts) with a strict JSON schema, on the "
            + "small model by design (a reading task; the router also reads the turn with the rules analyser and takes the harder reading, so a "
            + "misreading there cannot send a hard turn to the small model). It is priced with its real prompt"
            + (settings.CountExtractionSchema
                ? ", the schema it sends counted as JSON text (an upper bound: OpenAI puts the schema into the prompt in a more compact form)"
                : " without the schema it sends (a lower bound of the saving: OpenAI puts the schema into the prompt, so each call really costs more input; the sensitivity rows count it)")
            + " and, as its answer, the schema's JSON of what the rules read. Each reply also embeds the lead's text once for the knowledge "
            + $"search (`{o.EmbeddingModel}`, the same in every strategy). \"Whole turns\" is the sum; \"replies only\" leaves the extraction and "
            + "embedding out of both sides. Not counted: the rolling-summary refreshes (small model; large in an always-large setup, so leaving "
            + "them out understates the saving).").AppendLine();
        sb.AppendLine(Inv, $"Settings: the app's AiOptions defaults — large `{o.ChatModel}` ({large}), small `{o.SmallChatModel}` ({small}) per 1M tokens in/out; "
            + $"AI:LargeModelScore {o.LargeModelScore}, AI:LargeDealValue {o.LargeDealValue.ToString("#,0", Inv)}; no monthly budget.").AppendLine();

        sb.AppendLine("| data set | conversations | turns | routed savings, whole turns | replies only | oracle bound, whole turns | guard recall (gold) | guard recall (pipeline) | small-model turns that are high-stakes | target met |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |");
        foreach (var r in sets)
        {
            var s = r.Evaluation.Summary;
            sb.AppendLine(Inv, $"| `{r.DataPath}` | {r.Evaluation.Conversations} | {s.Turns} | **{Pct(s.Turn.SavingsVsLarge)}** | {Pct(s.SavingsVsLarge)} | {Pct(s.Turn.OracleSavingsVsLarge)} | "
                + $"{s.HighStakesLarge}/{s.HighStakesLarge + s.HighStakesSmall} = {Pct(s.GuardRecall)} | {Pct(s.PipelineGuardRecall)} | "
                + $"{s.HighStakesSmall}/{s.SmallTurns} = {Pct(s.SmallHighStakesShare)} | {(Passes(s) ? "yes" : "no")} |");
        }

        sb.AppendLine();
        var repliesOnly = string.Join(" and ", sets.Select(r => Pct(r.Evaluation.Summary.SavingsVsLarge)));
        var repliesReach = sets.All(r => r.Evaluation.Summary.SavingsVsLarge >= SavingsTarget) ? "the target on their own too" : "below the target on their own (see \"What bounds the replies\" per set)";
        sb.AppendLine(Inv, $"Target ≥ {Pct(SavingsTarget)} savings of the whole turns' model cost against always-large with the guard at 100 %, on every set: "
            + $"**{(Passes(sets) ? "met" : "NOT met")}**. The reply calls alone save {repliesOnly}: {repliesReach}.").AppendLine();
        foreach (var r in sets)
        {
            Section(sb, r);
        }

        return sb.ToString();
    }

    private static void Section(StringBuilder sb, SetReport report)
    {
        var (dataPath, data, evaluation) = (report.DataPath, report.Data, report.Evaluation);
        var (sensitivity, judge, judgeNotRunBecause) = (report.Sensitivity, report.Judge, report.JudgeNotRunBecause);
        var s = evaluation.Summary;
        sb.AppendLine(Inv, $"### `{dataPath}`").AppendLine();
        sb.AppendLine(Inv, $"Data: `{dataPath}`, {evaluation.Conversations} hand-written conversations "
            + $"({data.Count(c => c.Language == "en")} en / {data.Count(c => c.Language == "de")} de), {s.Turns} lead turns "
            + $"({data.Min(c => c.Turns.Count)}–{data.Max(c => c.Turns.Count)} per conversation); provenance and labels in `bench/data/README.md`.").AppendLine();

        var t = s.Turn;
        sb.AppendLine("| strategy | replies (USD) | extraction (USD) | knowledge query embeddings (USD) | whole turns (USD) | per turn (USD) | vs always-large, whole turns | vs always-large, replies only |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Row("**routed (ModelRouter; extraction on the small model)**", s.RoutedCost, t.ExtractionSmallCost, t.RoutedCost, $"**−{Pct(t.SavingsVsLarge)}**", $"−{Pct(s.SavingsVsLarge)}");
        Row("always large (every call)", s.AlwaysLargeCost, t.ExtractionLargeCost, t.AlwaysLargeCost, "—", "—");
        Row("no complexity routing (every reply large; extraction on the small model)", s.AlwaysLargeCost, t.ExtractionSmallCost, t.RepliesLargeCost, $"−{Pct(t.RepliesLargeSavingsVsLarge)}", "—");
        Row("oracle (large on exactly the rubric's high-stakes replies)", s.OracleCost, t.ExtractionSmallCost, t.OracleCost, $"−{Pct(t.OracleSavingsVsLarge)}", $"−{Pct(s.OracleSavingsVsLarge)}");
        Row("always small", s.AlwaysSmallCost, t.ExtractionSmallCost, t.AlwaysSmallCost, $"−{Pct(t.AlwaysSmallSavingsVsLarge)}", $"−{Pct(1 - (double)(s.AlwaysSmallCost / Math.Max(s.AlwaysLargeCost, 1e-12m)))}");
        sb.AppendLine();
        var ratio = (double)(s.AlwaysSmallCost / Math.Max(s.AlwaysLargeCost, 1e-12m));
        var highShare = (double)(evaluation.Turns.Where(t => t.IsHighStakes).Sum(t => t.AlwaysLargeCost) / Math.Max(s.AlwaysLargeCost, 1e-12m));
        var maxShare = 1 - (SavingsTarget / (1 - ratio));
        var extractionShare = (double)(t.ExtractionLargeCost / Math.Max(t.AlwaysLargeCost, 1e-12m));
        var routerPoints = t.SavingsVsLarge - t.RepliesLargeSavingsVsLarge;
        sb.AppendLine(Inv, $"Whole turns: routing costs {Pct((double)(t.RoutedCost / Math.Max(t.AlwaysSmallCost, 1e-12m)) - 1)} more than always-small. Target ≥ {Pct(SavingsTarget)} "
            + $"savings of the whole turns against always-large with the guard at 100 %: **{(Passes(s) ? "met" : "NOT met")}**. The extraction is "
            + $"{Pct(extractionShare)} of the always-large cost: its JSON answer (BANT evidence, DISC, facts) is longer than a WhatsApp reply, and it runs on every turn. "
            + $"Of the {Pct(t.SavingsVsLarge)} saved, {Points(t.RepliesLargeSavingsVsLarge)} come from the extraction running on the small model (the \"no complexity routing\" row) "
            + $"and {Points(routerPoints)} from ModelRouter sending routine replies to the small model.").AppendLine();
        sb.AppendLine(Inv, $"What bounds the replies: the small model costs {Pct(ratio)} of the large one per token, so even a perfect router (the oracle row) saves "
            + $"(1 − {Pct(ratio)}) × (1 − the high-stakes turns' share of the always-large reply cost). On this set that share is {Pct(highShare)}, so no router that "
            + $"keeps every high-stakes reply on the large model can save more than {Pct(s.OracleSavingsVsLarge)} on the replies alone; that needs traffic in which high-stakes "
            + $"replies make up at most {Pct(maxShare)} of the always-large reply cost.").AppendLine();

        sb.AppendLine("| who answers | turns | share of model turns | prompt tokens | output tokens |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        sb.AppendLine(Inv, $"| small model | {s.SmallTurns} | {Pct(1 - s.LargeShare)} | {s.SmallInputTokens:#,0} | {s.SmallOutputTokens:#,0} |");
        sb.AppendLine(Inv, $"| large model | {s.LargeTurns} | {Pct(s.LargeShare)} | {s.LargeInputTokens:#,0} | {s.LargeOutputTokens:#,0} |");
        sb.AppendLine(Inv, $"| rules brain template (opt-out, hand-over, strongly negative; no model) | {s.RulesTurns} | — | 0 | 0 |");
        sb.AppendLine(Inv, $"| no reply (after a hand-over or opt-out) | {s.SilentTurns} | — | 0 | 0 |");
        sb.AppendLine(Inv, $"| extraction (every turn; small model) | {s.Turns} | — | {t.ExtractionInputTokens:#,0} | {t.ExtractionOutputTokens:#,0} |");
        sb.AppendLine();

        sb.AppendLine("#### Quality guard").AppendLine();
        sb.AppendLine("A rubric (`tools/SalesFlow.RoutingEval/HighStakesRubric.cs`) marks a turn high-stakes when the author's gold labels OR the "
            + "pipeline's own reading show an objection, strongly negative sentiment, escalation risk (negative sentiment, a request for a human), "
            + "price talk on a deal ≥ AI:LargeDealValue, or a closing attempt (purchase intent or the closing_attempt stage). Such turns must never be "
            + "answered by the small model.").AppendLine();
        sb.AppendLine("| check | result | target |");
        sb.AppendLine("| --- | ---: | ---: |");
        sb.AppendLine(Inv, $"| high-stakes turns answered by a model that go to the large model (recall) | **{s.HighStakesLarge}/{s.HighStakesLarge + s.HighStakesSmall} = {Pct(s.GuardRecall)}** | 100 % |");
        sb.AppendLine(Inv, $"| the same on the pipeline's own reading only (no gold labels): the router's recall | {s.PipelineHighStakesLarge}/{s.PipelineHighStakesLarge + s.PipelineHighStakesSmall} = {Pct(s.PipelineGuardRecall)} | 100 % |");
        sb.AppendLine(Inv, $"| small-model turns that are high-stakes | **{s.HighStakesSmall}/{s.SmallTurns} = {Pct(s.SmallHighStakesShare)}** | 0 % |");
        sb.AppendLine(Inv, $"| high-stakes turns answered by the rules brain's vetted templates instead (no model, by design) | {s.HighStakesRules} | — |");
        sb.AppendLine(Inv, $"| high-stakes turns with no reply (a human has taken over) | {s.HighStakesSilent} | — |");
        sb.AppendLine(Inv, $"| high-stakes turns of all turns | {s.HighStakesTurns}/{s.Turns} = {Pct((double)s.HighStakesTurns / Math.Max(1, s.Turns))} | — |");
        sb.AppendLine(Inv, $"| high-stakes turns the analyser alone would have missed (caught by the gold labels) | {s.HighStakesGoldOnly} | — |");
        sb.AppendLine(Inv, $"| rules analyser intent agreement with the gold labels on this set | {s.GoldIntentAgreement}/{s.Turns} = {Pct(s.GoldIntentAccuracy)} | — |");
        sb.AppendLine();
        var byReason = Enum.GetValues<HighStakes>().Where(r => r != HighStakes.None)
            .Select(r => $"{HighStakesRubric.Describe(r)} {evaluation.Turns.Count(t => t.Stakes.HasFlag(r))}");
        sb.AppendLine("High-stakes turns by signal (a turn can have several): " + string.Join(", ", byReason) + ".").AppendLine();
        if (s.GuardMisses.Count > 0)
        {
            sb.AppendLine("Guard misses (high-stakes turns the small model would answer):").AppendLine();
            foreach (var miss in s.GuardMisses)
            {
                sb.AppendLine(Inv, $"- {miss.ConversationId} turn {miss.TurnIndex + 1} ({HighStakesRubric.Describe(miss.Stakes)}; {miss.Route?.Reason}): \"{miss.Gold.Text}\"");
            }

            sb.AppendLine();
        }

        sb.AppendLine("#### Judge (online quality check)").AppendLine();
        if (judge is null)
        {
            sb.AppendLine(Inv, $"**Not run here**: {judgeNotRunBecause ?? "--judge was not given"}. The offline guard above says which turns reach the small model, not how good "
                + $"its replies are. With a model configured (`AI__Provider`, `AI__ApiKey`, `AI__Endpoint` for Azure/compatible servers), "
                + $"`dotnet run --project tools/SalesFlow.RoutingEval -c Release -- --judge --sample 40` lets both models answer a sample of routine small-model turns "
                + $"with the app's prompt and has the large model judge each pair blind (A/B alternating, JSON verdict); it reports how often the small reply is at least as good. "
                + $"It also lets both models read as many turns of every kind with the app's extraction call and reports how often their readings agree "
                + $"(intent, sentiment, suggested stage, route) and on how many turns the small model's reading would route the reply to a cheaper model.").AppendLine();
        }
        else
        {
            sb.AppendLine(Inv, $"Small `{judge.SmallModel}` vs large `{judge.LargeModel}`, judged by `{judge.JudgeModel}` on {judge.Sampled} routine small-model turns:").AppendLine();
            sb.AppendLine("| small reply better | tie | large reply better | no usable verdict | small at least as good | judge run cost (USD) |");
            sb.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            sb.AppendLine(Inv, $"| {judge.SmallWins} | {judge.Ties} | {judge.LargeWins} | {judge.Unusable} | **{Pct(judge.AsGoodRate)}** | {judge.Cost:0.0000} |");
            sb.AppendLine();
        }

        if (report.Extraction is { } x)
        {
            sb.AppendLine(Inv, $"Extraction: both models read {x.Turns.Count} turns (every kind) with the app's extraction call; each reading routed as the app routes it (with the rules reading):").AppendLine();
            sb.AppendLine("| compared | intent agrees | sentiment agrees | suggested stage agrees | route agrees | small reading routes cheaper | failed calls | run cost (USD) |");
            sb.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            sb.AppendLine(Inv, $"| {x.Compared} | {Share(x.IntentAgrees, x.Compared)} | {Share(x.SentimentAgrees, x.Compared)} | {Share(x.StateAgrees, x.Compared)} | {Share(x.RouteAgrees, x.Compared)} | **{x.SmallRoutesCheaper}** | {x.Failed} | {x.Cost:0.0000} |");
            sb.AppendLine();
        }

        if (sensitivity.Count > 0)
        {
            sb.AppendLine("#### Sensitivity to the replay's assumptions").AppendLine();
            sb.AppendLine("| assumption | routed, whole turns (USD) | always large, whole turns (USD) | routed savings, whole turns | replies only | oracle, whole turns | guard recall (gold) |");
            sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (label, summary) in sensitivity)
            {
                sb.AppendLine(Inv, $"| {label} | {summary.Turn.RoutedCost:0.0000} | {summary.Turn.AlwaysLargeCost:0.0000} | {Pct(summary.Turn.SavingsVsLarge)} | {Pct(summary.SavingsVsLarge)} | {Pct(summary.Turn.OracleSavingsVsLarge)} | {Pct(summary.GuardRecall)} |");
            }

            sb.AppendLine();
        }

        void Row(string name, decimal replies, decimal extraction, decimal whole, string vsWhole, string vsReplies) =>
            sb.AppendLine(Inv, $"| {name} | {replies:0.0000} | {extraction:0.0000} | {t.EmbeddingCost:0.0000} | {whole:0.0000} | {(s.Turns == 0 ? 0 : whole / s.Turns):0.000000} | {vsWhole} | {vsReplies} |");
    }

    private static string Share(int part, int whole) => string.Create(Inv, $"{part}/{whole} = {Pct(whole == 0 ? 0 : (double)part / whole)}");

    private static string Points(double fraction) => (fraction * 100).ToString("0.0", Inv) + " points";

    public static string Pct(double fraction) => (fraction * 100).ToString("0.0", Inv) + " %";

    private static string Price(AiOptions o, string model) => o.PriceOf(model) is { } p
        ? string.Create(Inv, $"${p.InputPerMillion:0.00} / ${p.OutputPerMillion:0.00}")
        : "no price";
}
