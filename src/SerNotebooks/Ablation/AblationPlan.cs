using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.Controls;

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

/// <summary>How a fine-tuning run trains the encoder.</summary>
public enum FinetuneMode
{
    /// <summary>Encoder and head trained together (the paper's fine-tuning).</summary>
    Full,

    /// <summary>Linear probe: the encoder frozen (weights and batch-norm statistics), only the new head trained.</summary>
    Probe,
}

/// <summary>Names of <see cref="FinetuneMode"/> in tables, folders and on the command line.</summary>
public static class FinetuneModes
{
    public static string Name(FinetuneMode mode) => mode == FinetuneMode.Probe ? "probe" : "full";

    /// <exception cref="ArgumentException">Neither "full" nor "probe".</exception>
    public static FinetuneMode Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "full" => FinetuneMode.Full,
        "probe" => FinetuneMode.Probe,
        _ => throw new ArgumentException($"fine-tuning mode '{name}': expected full or probe"),
    };
}

/// <summary>
/// One fine-tuning run: a configuration (baseline or task combination), a seed, under k-fold or sessions a fold, a
/// labelled fraction of the training clips and a mode (full fine-tuning or linear probe).
/// </summary>
/// <param name="Configuration">"baseline" or a task combination.</param>
/// <param name="Seed">The same seed as its pre-training run, so runs pair by (seed, fold) across configurations.</param>
/// <param name="Pretraining">The pre-training run it starts from; null for the baseline (random init). Shared by every fold.</param>
/// <param name="Fold">The tested fold or session (1..k); null when the test split is evaluated.</param>
/// <param name="LabelFraction">Fraction of the training clips with labels used (1 = all).</param>
/// <param name="Mode">Full fine-tuning or a linear probe on the frozen encoder.</param>
/// <param name="Session">Whether <paramref name="Fold"/> is one of CREMA-D's sessions (folder -session&lt;i&gt;) rather than a dealt actor fold.</param>
/// <param name="Target">The fine-tuning target (<see cref="AblationPlan.WithTargets"/>); null = the experiment's own <c>labels</c> and <c>penalty</c>.</param>
public sealed record PlannedFinetuning(
    string Configuration, int Seed, PlannedPretraining? Pretraining, int? Fold = null,
    double LabelFraction = 1, FinetuneMode Mode = FinetuneMode.Full, bool Session = false, FinetuneTarget? Target = null)
{
    /// <summary>
    /// Folder under the ablation's output folder: finetune/&lt;configuration&gt;-seed&lt;k&gt;[-fold&lt;f&gt;|-session&lt;i&gt;][-frac&lt;x&gt;][-probe][-&lt;target&gt;].
    /// The suffixes appear only when they differ from the defaults (the intended target has none), so folders of earlier
    /// ablations stay valid and the intended runs of a target study are the main ablation's own runs.
    /// </summary>
    public string RelativeDirectory => Path.Combine("finetune", $"{Configuration}-seed{Seed}{FoldSuffix}{FractionSuffix}{(Mode == FinetuneMode.Probe ? "-probe" : "")}{TargetSuffix}");

    /// <summary>The target's name in tables; null without <see cref="AblationPlan.WithTargets"/>.</summary>
    public string? TargetName => Target?.Name;

    private string TargetSuffix => Target is null || Target == FinetuneTarget.Intended ? "" : "-" + Target.Name;

    /// <summary>The fold as the results table writes it ("1".."k"), or null.</summary>
    public string? FoldName => Fold?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fraction as tables and folder names write it (invariant, shortest round-trip form: 0.25, 1).</summary>
    public string LabelFractionName => FormatFraction(LabelFraction);

    /// <summary>The fraction as tables and folder names write it.</summary>
    public static string FormatFraction(double fraction) => fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private string FoldSuffix => Fold is null ? "" : Session ? $"-session{Fold}" : $"-fold{Fold}";

    private string FractionSuffix => LabelFraction < 1 ? $"-frac{LabelFractionName}" : "";
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

    /// <summary>The protocol name of cross-validation over the corpus's sessions, e.g. <c>5-sessions</c> for CREMA-D.</summary>
    public static string SessionsProtocol(int sessions) => $"{sessions}-sessions";

    /// <summary>The labelled fractions without <see cref="WithLabelFractions"/>: all training clips.</summary>
    public static readonly IReadOnlyList<double> AllLabels = [1.0];

    /// <summary>The paper's three tasks (registered names), in the order used in configuration names.</summary>
    public static readonly IReadOnlyList<string> PaperTasks = ["energy-variation", "facial-activation", "au-emotion"];

    // The fine-tuning runs of the test split at fraction 1, full mode: every other shape of the plan expands these.
    private readonly IReadOnlyList<PlannedFinetuning> _baseFinetuning;

    private AblationPlan(PretextTaskRegistry registry, IReadOnlyList<string> tasks, IReadOnlyList<int> seeds, IReadOnlyList<PlannedPretraining> pretraining,
        IReadOnlyList<PlannedFinetuning> baseFinetuning, int folds = 0, bool bySession = false,
        IReadOnlyList<double>? labelFractions = null, IReadOnlyList<FinetuneMode>? modes = null, IReadOnlyList<string>? controls = null,
        IReadOnlyList<FinetuneTarget>? targets = null)
    {
        Registry = registry;
        Tasks = tasks;
        Seeds = seeds;
        Pretraining = pretraining;
        _baseFinetuning = baseFinetuning;
        Folds = folds;
        BySession = bySession;
        LabelFractions = labelFractions ?? AllLabels;
        Modes = modes ?? [FinetuneMode.Full];
        Controls = controls ?? [];
        Targets = targets ?? [];
        Finetuning = Expand();
    }

    /// <summary>k of k-fold by actor, or the number of sessions; 0 when the runs are evaluated on the test split.</summary>
    public int Folds { get; }

    /// <summary>Whether the folds are the corpus's sessions (<see cref="WithSessions"/>) rather than a seeded deal of the actors.</summary>
    public bool BySession { get; }

    /// <summary>The labelled fractions of the training clips, ascending; [1] unless <see cref="WithLabelFractions"/>.</summary>
    public IReadOnlyList<double> LabelFractions { get; }

    /// <summary>Full fine-tuning and/or the linear probe; [full] unless <see cref="WithModes"/>.</summary>
    public IReadOnlyList<FinetuneMode> Modes { get; }

    /// <summary>
    /// Control configurations (<see cref="WithControls"/>): each a single control task (oracle-emotion, shuffled-&lt;task&gt;),
    /// pre-trained and fine-tuned like a configuration but never one of the paper's task combinations.
    /// </summary>
    public IReadOnlyList<string> Controls { get; }

    /// <summary>Every task the pre-training corpus must be labelled for: the paper's tasks, then the controls.</summary>
    public IReadOnlyList<string> LabellingTasks => [.. Tasks, .. Controls];

    /// <summary>Whether <paramref name="configuration"/> is a control, not one of the paper's configurations.</summary>
    public bool IsControl(string configuration) => Controls.Contains(configuration, StringComparer.Ordinal);

    /// <summary>How the table's metrics are measured: <see cref="TestSplitProtocol"/>, <see cref="KFoldProtocol"/> or <see cref="SessionsProtocol"/>.</summary>
    public string Protocol => Folds == 0 ? TestSplitProtocol : BySession ? SessionsProtocol(Folds) : KFoldProtocol(Folds);

    /// <summary>The largest labelled fraction (the headline table's): 1 unless only smaller ones are planned.</summary>
    public double HeadlineFraction => LabelFractions[^1];

    /// <summary>The mode of the headline table: full fine-tuning when planned, else the probe.</summary>
    public FinetuneMode HeadlineMode => Modes[0];

    /// <summary>
    /// The fine-tuning runs of the headline table (<see cref="HeadlineFraction"/>, <see cref="HeadlineMode"/>): one per
    /// (configuration, seed, fold), what the bar and confusion charts and the notebooks' per-run views show.
    /// </summary>
    public IReadOnlyList<PlannedFinetuning> HeadlineFinetuning =>
        Finetuning.Where(f => f.LabelFraction == HeadlineFraction && f.Mode == HeadlineMode && f.Target == HeadlineTarget).ToList();

    /// <summary>
    /// The fine-tuning targets (<see cref="WithTargets"/>), headline first; empty = every run uses the experiment's own
    /// <c>labels</c> and <c>penalty</c>, and tables have no <c>target</c> column.
    /// </summary>
    public IReadOnlyList<FinetuneTarget> Targets { get; }

    /// <summary>The target of the headline table: the first of <see cref="Targets"/>, or null without targets.</summary>
    public FinetuneTarget? HeadlineTarget => Targets.Count == 0 ? null : Targets[0];

    /// <summary>The registry the plan's tasks and controls come from (labelling uses it; ablation.json names its task assemblies).</summary>
    public PretextTaskRegistry Registry { get; }

    public IReadOnlyList<string> Tasks { get; }

    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Every pre-training run, seed-major.</summary>
    public IReadOnlyList<PlannedPretraining> Pretraining { get; }

    /// <summary>
    /// Every fine-tuning run, seed-major, then fold, fraction, mode and target; the baseline first within each (seed, fold,
    /// fraction, mode, target).
    /// </summary>
    public IReadOnlyList<PlannedFinetuning> Finetuning { get; }

    /// <summary>Configuration names: the baseline, then combinations by size and then task order, then the controls.</summary>
    public IReadOnlyList<string> Configurations => Finetuning.Select(f => f.Configuration).Distinct().ToList();

    /// <summary>
    /// The full plan over the default registry's tasks (<see cref="PaperTasks"/>) plus <paramref name="extraTasks"/>
    /// with seeds 1..<paramref name="seedCount"/>.
    /// </summary>
    public static AblationPlan Create(int seedCount = DefaultSeedCount, IReadOnlyList<string>? extraTasks = null) =>
        Create([.. PretextTaskRegistry.CreateDefault().PretextTaskNames, .. extraTasks ?? []], Enumerable.Range(1, seedCount).ToArray());

    /// <summary>
    /// The full plan over <paramref name="tasks"/> (a <c>--tasks a,b,c</c> list; null or blank: every task of
    /// <paramref name="registry"/>) with seeds 1..<paramref name="seedCount"/>: how <c>sernb reproduce</c> and the notebooks plan.
    /// </summary>
    /// <exception cref="ArgumentException">A task is not registered in <paramref name="registry"/>.</exception>
    public static AblationPlan Create(PretextTaskRegistry registry, string? tasks, int seedCount)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var names = registry.SelectTasks(tasks);
        return Create(names, Enumerable.Range(1, seedCount).ToArray(), AllCombinations(names), registry);
    }

    /// <summary>The full plan over <paramref name="tasks"/> and <paramref name="seeds"/>.</summary>
    public static AblationPlan Create(IReadOnlyList<string> tasks, IReadOnlyList<int> seeds) =>
        Create(tasks, seeds, AllCombinations(tasks));

    /// <summary>
    /// A plan restricted to <paramref name="combinations"/> (each a subset of <paramref name="tasks"/>); the baseline
    /// is always included. <paramref name="registry"/> (default: <see cref="PretextTaskRegistry.CreateDefault"/>) labels the tasks.
    /// </summary>
    public static AblationPlan Create(IReadOnlyList<string> tasks, IReadOnlyList<int> seeds, IReadOnlyList<IReadOnlyList<string>> combinations,
        PretextTaskRegistry? registry = null)
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
        return new AblationPlan(registry ?? PretextTaskRegistry.CreateDefault(), tasks, seeds, pretraining, finetuning);
    }

    /// <summary>
    /// The same plan evaluated by <paramref name="folds"/>-fold cross-validation by actor: every fine-tuning run
    /// becomes one run per fold (configuration, seed, fold); the pre-training runs are unchanged and shared by all
    /// folds (they never see emotion labels).
    /// </summary>
    public AblationPlan WithFolds(int folds)
    {
        SpeakerFolds.RequireValidCount(folds);
        RequireTestSplit();
        return new AblationPlan(Registry, Tasks, Seeds, Pretraining, _baseFinetuning, folds, bySession: false, LabelFractions, Modes, Controls, Targets);
    }

    /// <summary>
    /// The same plan evaluated over the corpus's <paramref name="sessions"/> sessions (CREMA-D: 5): session i is
    /// tested, session i+1 (wrapping) is dev, the rest train; runs are (configuration, seed, session).
    /// </summary>
    public AblationPlan WithSessions(int sessions = SpeakerFolds.CremaDSessions)
    {
        SpeakerFolds.RequireValidCount(sessions);
        RequireTestSplit();
        return new AblationPlan(Registry, Tasks, Seeds, Pretraining, _baseFinetuning, sessions, bySession: true, LabelFractions, Modes, Controls, Targets);
    }

    /// <summary>
    /// The same plan fine-tuned on each labelled fraction of the training clips (<see cref="Training.LabelFractionSubset"/>):
    /// runs become (configuration, seed, fold, fraction). Fractions must be in (0, 1] and distinct; they are sorted.
    /// </summary>
    public AblationPlan WithLabelFractions(IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count == 0 || fractions.Distinct().Count() != fractions.Count)
        {
            throw new ArgumentException($"label fractions must be distinct and at least one (got {string.Join(", ", fractions.Select(PlannedFinetuning.FormatFraction))})", nameof(fractions));
        }
        foreach (var fraction in fractions)
        {
            Training.LabelFractionSubset.RequireValid(fraction);
        }
        return new AblationPlan(Registry, Tasks, Seeds, Pretraining, _baseFinetuning, Folds, BySession, fractions.Order().ToArray(), Modes, Controls, Targets);
    }

    /// <summary>The same plan in each of <paramref name="modes"/> (e.g. full and probe): runs are keyed by mode too.</summary>
    public AblationPlan WithModes(IReadOnlyList<FinetuneMode> modes)
    {
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count == 0 || modes.Distinct().Count() != modes.Count)
        {
            throw new ArgumentException("fine-tuning modes must be distinct and at least one", nameof(modes));
        }
        return new AblationPlan(Registry, Tasks, Seeds, Pretraining, _baseFinetuning, Folds, BySession, LabelFractions, modes.Order().ToArray(), Controls, Targets);
    }

    /// <summary>
    /// The same plan plus one control configuration per name in <paramref name="controls"/> (registered control tasks,
    /// <see cref="IControlTask"/>): for every seed a pre-training run on the control task alone and its
    /// fine-tuning runs, after the paper's configurations. Controls are shown apart and are not in the Holm family of
    /// the paper's configurations.
    /// </summary>
    public AblationPlan WithControls(IReadOnlyList<string> controls)
    {
        ArgumentNullException.ThrowIfNull(controls);
        if (Controls.Count > 0)
        {
            throw new InvalidOperationException($"the plan already has controls ({string.Join(", ", Controls)})");
        }
        var known = Registry.All.OfType<IControlTask>().Select(t => t.Name).ToList();
        foreach (var control in controls)
        {
            if (!known.Contains(control, StringComparer.Ordinal))
            {
                throw new ArgumentException($"'{control}' is not a control task; the registered controls are {string.Join(", ", known)}", nameof(controls));
            }
        }
        if (controls.Distinct(StringComparer.Ordinal).Count() != controls.Count)
        {
            throw new ArgumentException("controls must be distinct", nameof(controls));
        }
        if (controls.Count == 0)
        {
            return this;
        }
        var pretraining = new List<PlannedPretraining>();
        var finetuning = new List<PlannedFinetuning>();
        foreach (var seed in Seeds)
        {
            pretraining.AddRange(Pretraining.Where(p => p.Seed == seed));
            finetuning.AddRange(_baseFinetuning.Where(f => f.Seed == seed));
            foreach (var control in controls)
            {
                var run = new PlannedPretraining(control, [control], seed);
                pretraining.Add(run);
                finetuning.Add(new PlannedFinetuning(control, seed, run));
            }
        }
        return new AblationPlan(Registry, Tasks, Seeds, pretraining, finetuning, Folds, BySession, LabelFractions, Modes, controls.ToArray(), Targets);
    }

    /// <summary>
    /// The same plan fine-tuned towards each of <paramref name="targets"/> (hard intended labels, soft vote distributions,
    /// the penalty term): runs are keyed by target too, the pre-training runs are unchanged (a target only changes
    /// fine-tuning), and each target is summarised on its own, paired with the baseline of the same target and seed.
    /// The first target is the headline's.
    /// </summary>
    public AblationPlan WithTargets(IReadOnlyList<FinetuneTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0 || targets.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            throw new ArgumentException("fine-tuning targets must be distinct and at least one", nameof(targets));
        }
        return new AblationPlan(Registry, Tasks, Seeds, Pretraining, _baseFinetuning, Folds, BySession, LabelFractions, Modes, Controls, targets.ToArray());
    }

    private void RequireTestSplit()
    {
        if (Folds != 0)
        {
            throw new InvalidOperationException($"the plan is already {Protocol}");
        }
    }

    private List<PlannedFinetuning> Expand()
    {
        IEnumerable<int?> folds = Folds == 0 ? [null] : Enumerable.Range(1, Folds).Select(f => (int?)f);
        var targets = Targets.Count == 0 ? new FinetuneTarget?[] { null } : Targets.ToArray<FinetuneTarget?>();
        return Seeds
            .SelectMany(seed => folds.SelectMany(fold => LabelFractions.SelectMany(fraction => Modes.SelectMany(mode => targets.SelectMany(target =>
                _baseFinetuning.Where(f => f.Seed == seed)
                    .Select(f => f with { Fold = fold, Session = fold is not null && BySession, LabelFraction = fraction, Mode = mode, Target = target }))))))
            .ToList();
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
