namespace SerNotebooks.Ablation;

/// <summary>One pre-training run of the plan: a task combination and a seed, shared by every fine-tuning run that starts from it.</summary>
/// <param name="Combination">The configuration name: task names joined with '+', in the plan's task order.</param>
/// <param name="Tasks">The pretext tasks trained together (equal weights).</param>
/// <param name="Seed">Initialisation and data-order seed.</param>
public sealed record PlannedPretraining(string Combination, IReadOnlyList<string> Tasks, int Seed)
{
    /// <summary>Folder under the ablation's output folder: pretrain/&lt;combination&gt;-seed&lt;k&gt;.</summary>
    public string RelativeDirectory => Path.Combine("pretrain", $"{Combination}-seed{Seed}");
}

/// <summary>One fine-tuning run: a configuration (baseline or task combination), a seed and, under k-fold, a fold.</summary>
/// <param name="Configuration">"baseline" or a task combination.</param>
/// <param name="Seed">The same seed as its pre-training run, so runs pair by (seed, fold) across configurations.</param>
/// <param name="Pretraining">The pre-training run it starts from; null for the baseline (random init). Shared by every fold.</param>
/// <param name="Fold">The tested fold (1..k) under k-fold by actor; null when the test split is evaluated.</param>
public sealed record PlannedFinetuning(string Configuration, int Seed, PlannedPretraining? Pretraining, int? Fold = null)
{
    /// <summary>Folder under the ablation's output folder: finetune/&lt;configuration&gt;-seed&lt;k&gt;[-fold&lt;f&gt;].</summary>
    public string RelativeDirectory => Path.Combine("finetune", $"{Configuration}-seed{Seed}{(Fold is null ? "" : $"-fold{Fold}")}");

    /// <summary>The fold as the results table writes it ("1".."k"), or null.</summary>
    public string? FoldName => Fold?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The ablation: the baseline (no pre-training) and every non-empty combination of the tasks, each over the
/// same seeds. A pre-training run exists once per (combination, seed) and is shared by the fine-tuning runs
/// that use it.
/// </summary>
public sealed class AblationPlan
{
    public const string Baseline = "baseline";
    public const int DefaultSeedCount = 3;

    /// <summary>The evaluation protocol's name (results.csv's <c>evaluation</c> column) without k-fold.</summary>
    public const string TestSplitProtocol = "test-split";

    /// <summary>The protocol name of k-fold cross-validation by actor, e.g. <c>5-fold-by-actor</c>.</summary>
    public static string KFoldProtocol(int folds) => $"{folds}-fold-by-actor";

    /// <summary>The paper's three tasks (registered names), in the order used in configuration names.</summary>
    public static readonly IReadOnlyList<string> PaperTasks = ["energy-variation", "facial-activation", "au-emotion"];

    private AblationPlan(IReadOnlyList<string> tasks, IReadOnlyList<int> seeds, IReadOnlyList<PlannedPretraining> pretraining,
        IReadOnlyList<PlannedFinetuning> finetuning, int folds = 0)
    {
        Tasks = tasks;
        Seeds = seeds;
        Pretraining = pretraining;
        Finetuning = finetuning;
        Folds = folds;
    }

    /// <summary>k of k-fold by actor; 0 when the runs are evaluated on the test split.</summary>
    public int Folds { get; }

    /// <summary>How the table's metrics are measured: <see cref="TestSplitProtocol"/> or <see cref="KFoldProtocol"/>.</summary>
    public string Protocol => Folds == 0 ? TestSplitProtocol : KFoldProtocol(Folds);

    public IReadOnlyList<string> Tasks { get; }

    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Every pre-training run, seed-major.</summary>
    public IReadOnlyList<PlannedPretraining> Pretraining { get; }

    /// <summary>Every fine-tuning run, seed-major (then fold-major under k-fold); the baseline first within a seed (and fold).</summary>
    public IReadOnlyList<PlannedFinetuning> Finetuning { get; }

    /// <summary>Configuration names: the baseline, then combinations by size and then task order.</summary>
    public IReadOnlyList<string> Configurations => Finetuning.Select(f => f.Configuration).Distinct().ToList();

    /// <summary>
    /// The full plan over <see cref="PaperTasks"/> plus <paramref name="extraTasks"/> (opt-in registered tasks)
    /// with seeds 1..<paramref name="seedCount"/>.
    /// </summary>
    public static AblationPlan Create(int seedCount = DefaultSeedCount, IReadOnlyList<string>? extraTasks = null) =>
        Create([.. PaperTasks, .. extraTasks ?? []], Enumerable.Range(1, seedCount).ToArray());

    /// <summary>The full plan over <paramref name="tasks"/> and <paramref name="seeds"/>.</summary>
    public static AblationPlan Create(IReadOnlyList<string> tasks, IReadOnlyList<int> seeds) =>
        Create(tasks, seeds, AllCombinations(tasks));

    /// <summary>
    /// A plan restricted to <paramref name="combinations"/> (each a subset of <paramref name="tasks"/>); the baseline
    /// is always included.
    /// </summary>
    public static AblationPlan Create(IReadOnlyList<string> tasks, IReadOnlyList<int> seeds, IReadOnlyList<IReadOnlyList<string>> combinations)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(combinations);
        if (tasks.Count == 0 || tasks.Distinct().Count() != tasks.Count || tasks.Any(t => string.IsNullOrWhiteSpace(t) || t.Contains('+')))
        {
            throw new ArgumentException($"tasks must be distinct, non-empty names without '+' (got {string.Join(", ", tasks)})", nameof(tasks));
        }
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
        {
            throw new ArgumentException("at least one seed, all distinct, is needed", nameof(seeds));
        }
        var ordered = combinations
            .Select(c =>
            {
                if (c.Count == 0 || c.Any(t => !tasks.Contains(t)))
                {
                    throw new ArgumentException($"combination [{string.Join(", ", c)}] is empty or uses a task outside [{string.Join(", ", tasks)}]", nameof(combinations));
                }
                return tasks.Where(c.Contains).ToArray(); // Canonical order, so a combination has one name.
            })
            .DistinctBy(c => string.Join('+', c))
            .OrderBy(c => c.Length).ThenBy(c => string.Join(',', c.Select(t => tasks.IndexOf(t).ToString("D3"))), StringComparer.Ordinal)
            .ToList();
        var pretraining = new List<PlannedPretraining>();
        var finetuning = new List<PlannedFinetuning>();
        foreach (var seed in seeds)
        {
            finetuning.Add(new PlannedFinetuning(Baseline, seed, null));
            foreach (var combination in ordered)
            {
                var run = new PlannedPretraining(string.Join('+', combination), combination, seed);
                pretraining.Add(run);
                finetuning.Add(new PlannedFinetuning(run.Combination, seed, run));
            }
        }
        return new AblationPlan(tasks, seeds, pretraining, finetuning);
    }

    /// <summary>
    /// The same plan evaluated by <paramref name="folds"/>-fold cross-validation by actor: every fine-tuning run
    /// becomes one run per fold (configuration, seed, fold); the pre-training runs are unchanged and shared by all
    /// folds (they never see emotion labels).
    /// </summary>
    public AblationPlan WithFolds(int folds)
    {
        SpeakerFolds.RequireValidCount(folds);
        if (Folds != 0)
        {
            throw new InvalidOperationException($"the plan is already {Protocol}");
        }
        var finetuning = Seeds
            .SelectMany(seed => Enumerable.Range(1, folds).SelectMany(fold =>
                Finetuning.Where(f => f.Seed == seed).Select(f => f with { Fold = fold })))
            .ToList();
        return new AblationPlan(Tasks, Seeds, Pretraining, finetuning, folds);
    }

    /// <summary>The 2^n − 1 non-empty subsets of <paramref name="tasks"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> AllCombinations(IReadOnlyList<string> tasks)
    {
        if (tasks.Count > 10)
        {
            throw new ArgumentException($"{tasks.Count} tasks make {(1 << Math.Min(tasks.Count, 30)) - 1} combinations; pick combinations explicitly", nameof(tasks));
        }
        var result = new List<IReadOnlyList<string>>();
        for (var mask = 1; mask < 1 << tasks.Count; mask++)
        {
            result.Add(tasks.Where((_, i) => (mask & (1 << i)) != 0).ToArray());
        }
        return result;
    }
}

internal static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        return -1;
    }
}
