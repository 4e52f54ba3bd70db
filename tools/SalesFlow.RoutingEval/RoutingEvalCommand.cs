using System.Globalization;
using Microsoft.Extensions.Configuration;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Core.Ai;

namespace SalesFlow.RoutingEval;

/// <summary>
/// The command line: replays each conversation set, prints the Markdown report (one section per set) and exits 0 when
/// routing saves at least 60 % against always-large with no high-stakes turn on the small model on every set (1
/// otherwise, 2 on bad arguments).
/// </summary>
public static class RoutingEvalCommand
{
    public const string Usage = """
        SalesFlow.RoutingEval — model routing cost and quality report.

          --data <path>          conversation set; repeat for several (default: bench/data/routing-conversations.jsonl
                                 and bench/data/routing-inbound.jsonl, searched upwards)
          --history <n>          earlier messages in the prompt (default 20, the hot window; 0 = none)
          --short-output <n>     expected output tokens on WhatsApp/SMS/web (default 75)
          --email-output <n>     expected output tokens on e-mail (default 250)
          --markdown <path>      also write the report to this file
          --scope stage|turn     rubric: every turn in price_negotiation/closing_attempt (stage, default) or only the entering turn
          --turns                also print every turn: stage, route, reason, high-stakes signals
          --judge                online quality check: needs AI__Provider (openai|azureopenai), AI__ApiKey and/or AI__Endpoint
          --sample <n>           routine small-model turns the judge compares, per set (default 30); as many
                                 turns of every kind are read by both models to compare the extraction

        Model names, prices (AI__Prices__<model>__InputPerMillion …) and routing settings (AI__LargeModelScore,
        AI__LargeDealValue) are read from the AI__* environment settings, else the app's defaults.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IConfiguration? configuration = null, CancellationToken ct = default)
    {
        var dataPaths = new List<string>();
        string? markdownPath = null;
        var settings = new EvaluationSettings();
        var judge = false;
        var turnsList = false;
        var sample = 30;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--data": dataPaths.Add(Value(ref i)); break;
                    case "--markdown": markdownPath = Value(ref i); break;
                    case "--history": settings = settings with { HistoryWindow = Number(ref i) }; break;
                    case "--short-output": settings = settings with { ShortFormOutputTokens = Number(ref i) }; break;
                    case "--email-output": settings = settings with { EmailOutputTokens = Number(ref i) }; break;
                    case "--judge": judge = true; break;
                    case "--turns": turnsList = true; break;
                    case "--scope": settings = settings with { Scope = Enum.Parse<RubricScope>(Value(ref i), ignoreCase: true) }; break;
                    case "--sample": sample = Number(ref i); break;
                    case "-h" or "--help": await stdout.WriteLineAsync(Usage); return 0;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync(e.Message);
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        configuration ??= new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var options = new AiOptions();
        configuration.GetSection(AiOptions.Section).Bind(options);

        if (judge)
        {
            var errors = AiOptionsValidator.Errors(options).ToList();
            if (!options.Enabled || errors.Count > 0)
            {
                await stderr.WriteLineAsync("--judge needs a configured model: " + (options.Enabled ? string.Join(" ", errors) : "AI__Provider is none."));
                return 2;
            }
        }

        var paths = dataPaths.Count > 0
            ? dataPaths.Select(p => RoutingDataSet.Locate(p)).ToList()
            : RoutingDataSet.DefaultRelativePaths.Select(d => RoutingDataSet.Locate(null, d)).ToList();
        var sets = new List<SetReport>();
        foreach (var path in paths)
        {
            sets.Add(await EvaluateAsync(path, options, settings, judge, sample, ct));
        }

        var report = RoutingReport.Markdown(sets);
        await stdout.WriteAsync(report);
        if (turnsList)
        {
            foreach (var set in sets)
            {
                await stdout.WriteLineAsync($"Turns of `{set.DataPath}`:");
                await stdout.WriteLineAsync();
                await stdout.WriteLineAsync("| turn | gold | analyser | stage | high-stakes | handler | reason |");
                await stdout.WriteLineAsync("| --- | --- | --- | --- | --- | --- | --- |");
                foreach (var t in set.Evaluation.Turns)
                {
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"| {t.ConversationId}#{t.TurnIndex + 1} | {t.Gold.Intent}/{t.Gold.Sentiment} | {t.Analysis.Intent}/{t.Analysis.SentimentScore:0.00}/c{t.Analysis.Confidence:0.00} | {t.From}→{t.To} | {HighStakesRubric.Describe(t.Stakes)} | {t.Handler} | {t.Route?.Reason} |"));
                }

                await stdout.WriteLineAsync();
            }
        }

        if (markdownPath is not null)
        {
            await File.WriteAllTextAsync(markdownPath, report, ct);
        }

        return RoutingReport.Passes(sets) ? 0 : 1;

        string Value(ref int i) => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");

        int Number(ref int i)
        {
            var name = args[i];
            return int.TryParse(Value(ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} needs a non-negative number.");
        }
    }

    /// <summary>Replays one set: the figures, the sensitivity rows and, with <paramref name="judge"/>, the online check.</summary>
    private static async Task<SetReport> EvaluateAsync(string path, AiOptions options, EvaluationSettings settings, bool judge, int sample, CancellationToken ct)
    {
        var data = RoutingDataSet.Load(path);
        var evaluation = new RoutingEvaluator(options, settings).Evaluate(data);
        var sensitivity = new List<(string, RoutingSummary)>
        {
            ($"as reported (history {settings.HistoryWindow}, output {settings.ShortFormOutputTokens}/{settings.EmailOutputTokens})", evaluation.Summary),
            ("no history in the prompt (as on a first turn, or with the memory layer off)", new RoutingEvaluator(options, settings with { HistoryWindow = 0 }).Evaluate(data).Summary),
            ("output twice as long", new RoutingEvaluator(options, settings with { ShortFormOutputTokens = settings.ShortFormOutputTokens * 2, EmailOutputTokens = settings.EmailOutputTokens * 2 }).Evaluate(data).Summary),
            ("rubric counts only the turn that enters price_negotiation / closing_attempt (not every turn in the stage)", new RoutingEvaluator(options, settings with { Scope = settings.Scope == RubricScope.Stage ? RubricScope.Turn : RubricScope.Stage }).Evaluate(data).Summary),
            ("output half as long", new RoutingEvaluator(options, settings with { ShortFormOutputTokens = settings.ShortFormOutputTokens / 2, EmailOutputTokens = settings.EmailOutputTokens / 2 }).Evaluate(data).Summary),
            (settings.CountExtractionSchema ? "extraction schema not counted as prompt input (the lower bound)" : "extraction schema counted as prompt input, as JSON text (the upper bound: OpenAI injects it in a more compact form)", new RoutingEvaluator(options, settings with { CountExtractionSchema = !settings.CountExtractionSchema }).Evaluate(data).Summary),
            ("extraction answers half as long", new RoutingEvaluator(options, settings with { ExtractionOutputScale = settings.ExtractionOutputScale / 2 }).Evaluate(data).Summary),
            ("extraction answers twice as long", new RoutingEvaluator(options, settings with { ExtractionOutputScale = settings.ExtractionOutputScale * 2 }).Evaluate(data).Summary),
        };

        if (!judge)
        {
            return new SetReport(RoutingDataSet.Display(path), data, evaluation, sensitivity, null, "no model is reachable from where this report was made, and --judge was not given");
        }

        using var connection = new OpenAIConnection(options);
        var chat = new OpenAIChatClient(connection);
        var judgeRun = new RoutingJudge(chat, options);
        var judgeReport = await judgeRun.RunAsync(RoutingJudge.Sample(evaluation.Turns, sample), ct);
        var extraction = await judgeRun.CompareExtractionAsync(RoutingJudge.SampleForExtraction(evaluation.Turns, sample), ct);
        return new SetReport(RoutingDataSet.Display(path), data, evaluation, sensitivity, judgeReport, null, extraction);
    }
}
