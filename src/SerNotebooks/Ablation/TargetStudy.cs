using SerNotebooks.Ablation.Execution;
using SerNotebooks.Evaluation;

namespace SerNotebooks.Ablation;

/// <summary>
/// Beyond the paper (notebook 07, <c>sernb reproduce --beyond</c>): the baseline and a few pretext combinations
/// fine-tuned towards several targets — hard intended labels, the raters' soft vote distribution, the penalty-matrix
/// term — over the main ablation's seeds. The runs live beside the main ablation's (its pre-training runs and its
/// intended-target fine-tuning runs are reused, the other targets add a folder suffix); the tables go to
/// <see cref="FolderName"/>/ so the main tables are never touched. ABLATION.md, "Beyond the paper".
/// </summary>
public sealed class TargetStudy
{
    /// <summary>The study's subfolder of the output folder: its ablation.json, results.csv, summary.csv, summary-&lt;reference&gt;.csv.</summary>
    public const string FolderName = "beyond";

    /// <summary>The <c>combinations</c> entry naming the main ablation's best paper configuration (highest mean test macro-F1).</summary>
    public const string Best = "best";

    /// <summary>
    /// The <c>combinations</c> entry naming every opt-in task of the registry (<see cref="Pretext.IOptInTask"/>: the clustering
    /// task, the facial-activation regression, a user's own), each pre-trained alone: what <c>--beyond</c> adds.
    /// </summary>
    public const string OptIn = "opt-in";

    /// <summary>
    /// The file in <see cref="TablesDirectory"/> that records the study's combinations and targets as given, so notebook 07's
    /// default is the study the folder holds (<see cref="Recorded"/>).
    /// </summary>
    public const string RecordFileName = "study.json";

    private TargetStudy(AblationPlan plan, string outputDirectory, string choice, string combinations)
    {
        Plan = plan;
        OutputDirectory = outputDirectory;
        Choice = choice;
        Combinations = combinations;
    }

    /// <summary>The combinations as given (<see cref="Best"/>, <see cref="OptIn"/>, <c>a+b</c> lists), recorded with the tables.</summary>
    public string Combinations { get; }

    /// <summary>The study's runs: baseline and the chosen combinations × the main plan's seeds (and folds) × the targets.</summary>
    public AblationPlan Plan { get; }

    /// <summary>The main ablation's output folder, where the runs live.</summary>
    public string OutputDirectory { get; }

    /// <summary>Where the study's tables go.</summary>
    public string TablesDirectory => Path.Combine(OutputDirectory, FolderName);

    /// <summary>How the combinations were chosen, for the reader (the best one is chosen on the test split: optimistic).</summary>
    public string Choice { get; }

    /// <summary>
    /// The study over <paramref name="main"/>'s tasks, seeds and protocol. <paramref name="combinations"/> are
    /// <c>a+b</c> task lists separated by ';' (any task registered in the main plan's registry, opt-in ones included, so a
    /// new pretext task is one more entry), or <see cref="Best"/>: the best paper configuration of <paramref name="mainSummary"/>; without a
    /// summary (the main ablation has not finished) the combination of all the main plan's tasks stands in for it.
    /// </summary>
    /// <exception cref="ArgumentException">No combination, an unknown task or no target.</exception>
    public static TargetStudy Create(AblationPlan main, string outputDirectory, AblationSummary? mainSummary, string combinations,
        IReadOnlyList<FinetuneTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(targets);
        var choices = new List<string>();
        var chosen = new List<IReadOnlyList<string>>();
        foreach (var entry in (combinations ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(entry, OptIn, StringComparison.OrdinalIgnoreCase))
            {
                var optIn = main.Registry.OptInTaskNames;
                chosen.AddRange(optIn.Select(t => (IReadOnlyList<string>)[t]));
                choices.Add(optIn.Count == 0 ? $"{OptIn} (no opt-in task is registered)" : $"{string.Join(", ", optIn)} ({OptIn}: each registered opt-in task alone)");
            }
            else if (string.Equals(entry, Best, StringComparison.OrdinalIgnoreCase))
            {
                var best = mainSummary is null ? null : BestPaperConfiguration(mainSummary);
                chosen.Add(best is null ? main.Tasks : best.Split('+'));
                choices.Add(best is null
                    ? $"{string.Join('+', main.Tasks)} (all tasks: the main ablation has not finished, so its best configuration is not known)"
                    : $"{best} (the main ablation's best mean test macro-F1 of {mainSummary![best][MetricNames.MacroF1].Mean:0.000}; chosen on the test split, so its lead is optimistic)");
            }
            else
            {
                chosen.Add(entry.Split('+', StringSplitOptions.TrimEntries));
                choices.Add($"{entry} (named)");
            }
        }
        if (chosen.Count == 0)
        {
            throw new ArgumentException($"no pretext combination: give '{Best}' or task lists such as energy-variation+au-emotion, separated by ';'", nameof(combinations));
        }
        // Opt-in tasks (clustering, facial-activation-regression) join by name, as in `--tasks`.
        var unknown = chosen.SelectMany(c => c).Where(t => !main.Registry.SelectableTaskNames.Contains(t, StringComparer.Ordinal)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown pretext task(s) {string.Join(", ", unknown)}; registered: {string.Join(", ", main.Registry.SelectableTaskNames)}", nameof(combinations));
        }
        // The main plan's task order names the combinations, so they share its pre-training folders.
        var tasks = main.Tasks.Concat(chosen.SelectMany(c => c)).Distinct(StringComparer.Ordinal).ToArray();
        var plan = AblationPlan.Create(tasks, main.Seeds, chosen, main.Registry);
        plan = main.Folds == 0 ? plan : main.BySession ? plan.WithSessions(main.Folds) : plan.WithFolds(main.Folds);
        return new TargetStudy(plan.WithTargets(targets), Path.GetFullPath(outputDirectory), string.Join("; ", choices), combinations!);
    }

    /// <summary>
    /// The combinations and targets of the study whose tables <paramref name="outputDirectory"/> holds (its
    /// <see cref="RecordFileName"/>), or null when no study has written tables there.
    /// </summary>
    /// <exception cref="InvalidDataException">The record is not the JSON this class writes (named in the message).</exception>
    public static StudyRecord? Recorded(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, FolderName, RecordFileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var record = System.Text.Json.JsonSerializer.Deserialize<StudyRecord>(File.ReadAllText(path), StudyRecord.JsonOptions);
            return record is { Combinations.Length: > 0, Targets.Count: > 0 } ? record
                : throw new InvalidDataException($"{path}: needs \"combinations\" and at least one of \"targets\"");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: not a target study record: {e.Message}", e);
        }
    }

    /// <summary>
    /// Trains the study's missing runs (finished ones, the main ablation's included, are reused) and writes its tables
    /// to <see cref="TablesDirectory"/> and its charts to <c>charts/</c> there (<see cref="TargetStudyCharts"/>).
    /// </summary>
    public AblationResult Run(AblationCorpus corpus, AblationProfile profile, IProgress<AblationProgress>? progress = null,
        CancellationToken cancellationToken = default, IRunExecutor? executor = null)
    {
        var result = AblationRunner.Run(Plan, corpus, profile, OutputDirectory, progress: progress, cancellationToken: cancellationToken, executor: executor,
            tablesDirectory: TablesDirectory);
        TargetStudyCharts.Write(this, result);
        WriteRecord();
        return result;
    }

    /// <summary>The tables recomputed from the finished runs (nothing trained).</summary>
    public AblationResult LoadResults()
    {
        var result = AblationRunner.WriteTables(Plan, OutputDirectory, TablesDirectory);
        WriteRecord();
        return result;
    }

    // Written with the tables they describe: the folder's tables and its record always name the same study.
    private void WriteRecord() => AtomicFile.WriteAllText(Path.Combine(TablesDirectory, RecordFileName),
        System.Text.Json.JsonSerializer.Serialize(new StudyRecord(Combinations, Plan.Targets.Select(t => t.Name).ToArray()), StudyRecord.JsonOptions) + "\n");

    /// <summary>The folder of one fine-tuning run of the study (full path).</summary>
    public string RunDirectory(string configuration, int seed, string target, int? fold = null)
    {
        var run = Plan.Finetuning.FirstOrDefault(f => f.Configuration == configuration && f.Seed == seed && f.TargetName == target && f.Fold == fold)
            ?? throw new ArgumentException($"no run '{configuration}' seed {seed} target '{target}' in the study (configurations: {string.Join(", ", Plan.Configurations)}; targets: {string.Join(", ", Plan.Targets.Select(t => t.Name))})");
        return Path.Combine(OutputDirectory, run.RelativeDirectory);
    }

    /// <summary>
    /// For each configuration, every target against the first (the intended labels), paired by seed — the same paired
    /// tests as against the baseline, with the targets as the "configurations" and Holm across the targets of that
    /// configuration. <paramref name="reference"/> null scores against the intended labels, else against that perceived
    /// reference (<see cref="AblationGroup.Perceived"/>). No speaker-bootstrap intervals: the per-target summaries have them.
    /// </summary>
    public static IReadOnlyList<(string Configuration, AblationSummary Summary)> CompareTargets(AblationResult result, string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var groups = result.Groups.Where(g => g.Target is not null && (reference is null || g.Perceived.ContainsKey(reference))).ToList();
        if (groups.Count < 2)
        {
            return [];
        }
        var first = groups[0].Target!.Name;
        var evaluation = groups[0].Summary.Evaluation + (reference is null ? "" : $", against {reference}");
        return groups[0].Summary.Configurations.Select(c => c.Configuration)
            .Select(configuration => (configuration, AblationSummary.Compute(
                groups.SelectMany(g => (reference is null ? g.Summary : g.Perceived[reference]).Runs
                    .Where(r => r.Configuration == configuration)
                    .Select(r => r with { Configuration = g.Target!.Name })),
                first, evaluation: evaluation)))
            .ToList();
    }

    /// <summary>The paper configuration (not the baseline, not a control) with the highest mean macro-F1; the first on a tie.</summary>
    public static string? BestPaperConfiguration(AblationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Configurations
            .Where(c => c.Configuration != summary.Baseline && !c.IsControl)
            .Aggregate((ConfigurationSummary?)null, (best, c) => best is null || c[MetricNames.MacroF1].Mean > best[MetricNames.MacroF1].Mean ? c : best)
            ?.Configuration;
    }
}
