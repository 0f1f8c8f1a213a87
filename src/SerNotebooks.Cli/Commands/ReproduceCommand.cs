using System.CommandLine;
using System.Globalization;
using SerNotebooks.Ablation;
using SerNotebooks.Evaluation;
using SerNotebooks.Native;
using SerNotebooks.Training;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb reproduce [--corpus demo|&lt;manifest dir&gt;] [--profile tiny|demo|paper] [--seeds N] [--out DIR]</c>:
/// the whole ablation in one command. Re-running it skips every finished run.
/// </summary>
public static class ReproduceCommand
{
    public static Command Create() => Create(AnsiConsole.Console);

    /// <summary>The command writing to <paramref name="console"/> (tests capture the output).</summary>
    public static Command Create(IAnsiConsole console)
    {
        var corpus = new Option<string>("--corpus")
        {
            Description = "'demo' (generated under --out if missing) or a folder with pretraining/ and crema-d/ manifests (or manifests/pretraining, manifests/crema-d)",
            DefaultValueFactory = _ => Reproduction.DemoCorpus,
        };
        var profile = new Option<string>("--profile")
        {
            Description = "tiny (seconds), demo (≈10 min on 2 cores) or paper (the paper's model and epochs)",
            DefaultValueFactory = _ => "demo",
        };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Seeds per configuration (1..N)",
            DefaultValueFactory = _ => AblationPlan.DefaultSeedCount,
        };
        var output = new Option<DirectoryInfo?>("--out", "-o")
        {
            Description = "Output folder: corpus, features, pretrain/, finetune/, results.csv, summary.csv, charts/ (default: <reports>/reproduce-<profile>)",
        };
        var command = new Command("reproduce", "Run the paper's ablation end to end: labels, pre-training, fine-tuning, results table and charts (resumable)");
        command.Options.Add(corpus);
        command.Options.Add(profile);
        command.Options.Add(seeds);
        command.Options.Add(output);
        command.SetAction(parseResult => Run(console, parseResult.GetValue(corpus)!, parseResult.GetValue(profile)!,
            parseResult.GetValue(seeds), parseResult.GetValue(output) ?? DefaultOutput(parseResult.GetValue(profile)!)));
        return command;
    }

    private static DirectoryInfo DefaultOutput(string profile) => new(Reproduction.DefaultOutputDirectory(profile));

    private static int Run(IAnsiConsole console, string corpusName, string profileName, int seedCount, DirectoryInfo output)
    {
        AblationProfile profile;
        AblationCorpus corpus;
        AblationPlan plan;
        try
        {
            if (seedCount < 1)
            {
                throw new ArgumentException($"--seeds must be at least 1, got {seedCount}");
            }
            profile = AblationProfile.Named(profileName);
            TorchRuntime.EnsureLoadable();
            corpus = Reproduction.ResolveCorpus(corpusName, profile, output.FullName, message => console.MarkupLineInterpolated($"[grey]{message}[/]"));
            plan = AblationPlan.Create(seedCount);
        }
        catch (Exception e) when (e is ArgumentException or IOException or TorchRuntimeException or SerNotebooks.Data.ManifestFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        console.MarkupLineInterpolated($"profile [bold]{profile.Name}[/], {plan.Configurations.Count} configurations × {plan.Seeds.Count} seed(s): {plan.Pretraining.Count} pre-training + {plan.Finetuning.Count} fine-tuning runs");
        console.MarkupLineInterpolated($"evaluation: {corpus.Evaluation}");

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            args.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ConsoleProgress(console);
            var result = Reproduction.Run(plan, corpus, profile, output.FullName, progress, cancellation.Token);
            WriteSummary(console, result);
            return 0;
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]cancelled[/]: run the same command again to continue");
            return 130;
        }
        catch (Exception e) when (e is TrainingRunException or TrainingConfigException or InvalidOperationException or IOException or EvaluationFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void WriteSummary(IAnsiConsole console, ReproductionResult result)
    {
        var summary = result.Ablation.Summary;
        var table = new Table().AddColumns("configuration", "runs", "macro P", "macro R", "macro F1", "Δ F1 %", "t-test p", "Wilcoxon p");
        foreach (var configuration in summary.Configurations)
        {
            string Cell(string metric) => $"{Format(configuration[metric].Mean)} ± {Format(configuration[metric].Std)}";
            var comparison = configuration.VersusBaseline.TryGetValue(MetricNames.MacroF1, out var c) ? c : null;
            table.AddRow(
                Markup.Escape(configuration.Configuration),
                configuration.Runs.ToString(CultureInfo.InvariantCulture),
                Cell(MetricNames.MacroPrecision), Cell(MetricNames.MacroRecall), Cell(MetricNames.MacroF1),
                comparison is null ? "" : Format(comparison.RelativeChangePercent),
                comparison is null ? "" : Format(comparison.TTest.PValue),
                comparison is null ? "" : Format(comparison.Wilcoxon.PValue));
        }
        console.Write(table);
        console.MarkupLineInterpolated($"runs table: {result.Ablation.RunsCsvPath}");
        console.MarkupLineInterpolated($"summary: {result.Ablation.SummaryCsvPath}");
        console.MarkupLineInterpolated($"charts: {result.Charts.Count} HTML files in {Path.GetDirectoryName(result.Charts[0])}");
        console.MarkupLineInterpolated($"trained {result.Ablation.TrainedRuns} run(s), skipped {result.Ablation.SkippedRuns} finished run(s); wall time {result.Elapsed:hh\\:mm\\:ss}");
    }

    private static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>One line per run start and per epoch: a multi-hour paper run stays readable in a log file.</summary>
    private sealed class ConsoleProgress(IAnsiConsole console) : IProgress<AblationProgress>
    {
        public void Report(AblationProgress value)
        {
            var counter = $"[{value.RunsDone + 1}/{value.RunsTotal}]";
            switch (value)
            {
                case { Stage: AblationStage.Labelling }:
                    console.MarkupLineInterpolated($"labelling the pre-training corpus: {value.Message}");
                    break;
                case { Training: null, Run: not null }:
                    console.MarkupLineInterpolated($"{counter} {value.Run}");
                    break;
                case { Training.Phase: TrainingPhase.Skipped }:
                    console.MarkupLineInterpolated($"  [grey]already finished[/]");
                    break;
                case { Training: { Phase: TrainingPhase.EpochEnd } t }:
                    var metrics = t.EpochMetrics is null ? "" : string.Join(", ", t.EpochMetrics
                        .Where(m => m.Key is "train_loss" or "dev_loss" or "dev_macro_f1")
                        .Select(m => $"{m.Key} {Format(m.Value)}"));
                    console.MarkupLineInterpolated($"  epoch {t.Epoch}/{t.Epochs} {metrics} ({t.Elapsed:mm\\:ss})");
                    break;
            }
        }
    }
}
