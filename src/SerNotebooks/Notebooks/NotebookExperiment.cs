using SerNotebooks.Ablation;
using SerNotebooks.Data;
using SerNotebooks.Evaluation;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Notebooks;

/// <summary>
/// What every notebook of the suite starts from: its parameters (corpus, profile, seeds, run folder) resolved
/// to the same output folder <c>sernb reproduce</c> uses, so a notebook finds the corpus, the feature cache and
/// the finished runs of an earlier reproduction and never trains a run twice.
/// </summary>
public sealed class NotebookExperiment
{
    private readonly Lazy<AblationCorpus> _corpus;
    private readonly Lazy<FeatureExtractor> _features;
    private readonly Lazy<Manifest> _pretrainingManifest;
    private readonly Lazy<Manifest> _emotionManifest;
    private readonly Dictionary<string, PretextLabellingResult> _labelling = new(StringComparer.Ordinal);

    private NotebookExperiment(string corpusName, AblationProfile profile, AblationPlan plan, string outputDirectory, Action<string> log)
    {
        CorpusName = corpusName;
        Profile = profile;
        Plan = plan;
        OutputDirectory = outputDirectory;
        Log = log;
        _corpus = new Lazy<AblationCorpus>(() => Reproduction.ResolveCorpus(corpusName, profile, outputDirectory, log, plan.Folds, plan.BySession));
        // Read once per experiment: notebook cells ask for the manifests again and again.
        _pretrainingManifest = new Lazy<Manifest>(() => Manifest.Load(Corpus.PretrainingManifests[0]));
        _emotionManifest = new Lazy<Manifest>(() => Manifest.Load(Corpus.EmotionManifests[0]));
        _features = new Lazy<FeatureExtractor>(() => new FeatureExtractor(
            new FeatureExtractorConfig(),
            new FeatureCache(Corpus.FeatureCache ?? Path.Combine(outputDirectory, "features"), problem => log($"feature cache: {problem}"))));
    }

    /// <summary>"demo" or the user's manifest folder (see <see cref="Reproduction.ResolveCorpus"/>).</summary>
    public string CorpusName { get; }

    public AblationProfile Profile { get; }

    public AblationPlan Plan { get; }

    /// <summary>The reproduction's output folder: corpus/, features/, pretrain/, finetune/, the tables and charts/.</summary>
    public string OutputDirectory { get; }

    /// <summary>Where progress lines go (the notebook cell's output by default).</summary>
    public Action<string> Log { get; }

    /// <summary>The manifests and splits; the demo corpus is generated on first use when it is missing.</summary>
    public AblationCorpus Corpus => _corpus.Value;

    /// <summary>The unlabelled pre-training corpus (the pretext tasks' input).</summary>
    public Manifest PretrainingManifest => _pretrainingManifest.Value;

    /// <summary>The labelled emotion corpus (fine-tuning and evaluation).</summary>
    public Manifest EmotionManifest => _emotionManifest.Value;

    /// <summary>Log-mel, energy and pitch features, cached beside the runs (shared with <c>sernb reproduce</c>).</summary>
    public FeatureExtractor Features => _features.Value;

    /// <summary>
    /// Opens the experiment a notebook's parameters name: <paramref name="profile"/> is a built-in experiment's name
    /// (tiny, demo, paper) or the path of an experiment file. <paramref name="runs"/> empty means the default output
    /// folder of <c>sernb reproduce --profile <paramref name="profile"/></c> (<c>reports/reproduce-&lt;profile&gt;</c>).
    /// <paramref name="folds"/> ≥ 3 evaluates by k-fold cross-validation by actor (<c>sernb reproduce --folds k</c>);
    /// 0 follows the output folder: the protocol of the ablation last started there (its ablation.json), else the
    /// test split — so a notebook without a <c>folds</c> parameter reads a k-fold reproduction instead of
    /// training test-split runs beside it. <paramref name="tasks"/> ("a,b,c", <c>sernb reproduce --tasks</c>) and
    /// <paramref name="taskAssemblies"/> (paths separated by ';', <c>--task-assembly</c>) likewise default to the
    /// output folder's, else every registered task.
    /// </summary>
    public static NotebookExperiment Open(string corpus = Reproduction.DemoCorpus, string profile = "demo", int seeds = AblationPlan.DefaultSeedCount,
        string runs = "", Action<string>? log = null, int folds = 0, string tasks = "", string taskAssemblies = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(corpus);
        if (seeds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seeds), seeds, "seeds must be at least 1");
        }
        if (folds != 0)
        {
            SpeakerFolds.RequireValidCount(folds);
        }
        var resolvedProfile = AblationProfile.Resolve(profile);
        var output = string.IsNullOrWhiteSpace(runs)
            ? Reproduction.DefaultOutputDirectory(resolvedProfile.Name)
            : Path.GetFullPath(runs);
        // The folder's ablation.json also gives the sessions protocol, label fractions and modes of `sernb reproduce`.
        var stored = AblationRunner.ReadPlan(output, seeds, resolvedProfile.Controls, resolvedProfile.LabelFractions,
            tasks, TaskAssemblies.Parse(taskAssemblies));
        var plan = folds == 0 || (stored.Folds == folds && !stored.BySession) ? stored
            : AblationPlan.Create(stored.Registry, string.Join(',', stored.Tasks), seeds).WithFolds(folds).WithControls(resolvedProfile.Controls)
                .WithLabelFractions(resolvedProfile.LabelFractions ?? AblationPlan.AllLabels);
        return new NotebookExperiment(corpus, resolvedProfile, plan, output, log ?? Console.WriteLine);
    }

    /// <summary>
    /// Labels the pre-training corpus for <paramref name="tasks"/> (default: the plan's tasks) with the profile's
    /// chunking, as the ablation does; the result is kept for the notebook's later cells.
    /// </summary>
    public PretextLabellingResult LabelPretrainingCorpus(params string[] tasks)
    {
        var names = tasks.Length == 0 ? Plan.Tasks.ToArray() : tasks;
        var key = string.Join('+', names);
        if (!_labelling.TryGetValue(key, out var result))
        {
            Log($"labelling {PretrainingManifest.Entries.Count} clips of the pre-training corpus for {string.Join(", ", names)}");
            var labelling = new PretextLabelling(Plan.Registry, Features, Profile.Chunking);
            result = labelling.Run(PretrainingManifest, names);
            _labelling[key] = result;
            Log($"{result.Skipped.Count} clip/task pair(s) skipped");
        }
        return result;
    }

    /// <summary>
    /// The label sets a pre-training run of this experiment trains on, one per task of <paramref name="config"/>: the
    /// ablation's labels in <c>&lt;runs&gt;/labels/</c> (<see cref="AblationLabels"/>), made there first when no run has made
    /// them yet, so that a notebook shows the very labels the runs use and <c>RunAblation</c> reuses what it made.
    /// </summary>
    public IReadOnlyDictionary<string, PretextLabelSet> RunLabelSets(TrainingConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var directory = AblationLabels.Ensure(OutputDirectory, Plan.LabellingTasks, config, null, Plan.Registry,
            message => Log($"labels: {message}"), cancellationToken);
        return config.Tasks.ToDictionary(t => t.Name, t => PretextLabelSetFile.Read(directory, t.Name), StringComparer.Ordinal);
    }

    /// <summary>
    /// Runs the ablation into <see cref="OutputDirectory"/>: every finished run is reused (nothing is trained
    /// twice), a missing or interrupted one is trained; then the tables and charts are written.
    /// </summary>
    public ReproductionResult RunAblation(CancellationToken cancellationToken = default) =>
        Reproduction.Run(Plan, Corpus, Profile, OutputDirectory, new AblationLogProgress(Log), cancellationToken);

    /// <summary>The ablation's tables, recomputed from the finished runs' prediction files.</summary>
    /// <exception cref="InvalidOperationException">A run has not finished (run notebook 05 or <c>sernb reproduce</c> first).</exception>
    public AblationResult LoadResults() => AblationRunner.WriteTables(Plan, OutputDirectory);

    /// <summary>
    /// Notebook 07's study of fine-tuning targets over this experiment's runs (<see cref="Ablation.TargetStudy.Create"/>):
    /// <paramref name="combinations"/> ("best", "opt-in" or <c>a+b</c> lists separated by ';') and <paramref name="targets"/>.
    /// Null or blank takes, in this order, the study the runs folder holds (<see cref="Ablation.TargetStudy.Recorded"/>: what
    /// <c>sernb reproduce</c>, with or without <c>--beyond</c>, or an earlier run of the notebook trained), the experiment's
    /// <see cref="AblationProfile.TargetCombinations"/> and <see cref="AblationProfile.Targets"/>, and "best" ×
    /// <see cref="FinetuneTarget.BeyondThePaper"/>. "best" reads the main ablation's table when all its runs have finished.
    /// </summary>
    public TargetStudy TargetStudy(string? combinations = null, string? targets = null)
    {
        var mainSummary = this.UnfinishedRuns().Count == 0 ? LoadResults().Summary : null;
        var recorded = Ablation.TargetStudy.Recorded(OutputDirectory);
        return Ablation.TargetStudy.Create(Plan, OutputDirectory, mainSummary,
            !string.IsNullOrWhiteSpace(combinations) ? combinations : recorded?.Combinations ?? Profile.StudyCombinations(),
            !string.IsNullOrWhiteSpace(targets) ? FinetuneTarget.ParseList(targets, Profile.Penalty)
                : recorded is not null ? recorded.Targets.Select(t => FinetuneTarget.Parse(t, Profile.Penalty)).ToArray()
                : Profile.StudyTargets());
    }

    /// <summary>Trains the study's missing runs (finished runs are reused) and writes its tables to <see cref="Ablation.TargetStudy.TablesDirectory"/>.</summary>
    public AblationResult RunTargetStudy(TargetStudy study, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        return study.Run(Corpus, Profile, new AblationLogProgress(Log), cancellationToken);
    }

    /// <summary>
    /// The predictions of one fine-tuning run. Under k-fold by actor a run is (configuration, seed, fold), so
    /// <paramref name="fold"/> (1..K) is required there and must be null otherwise.
    /// </summary>
    public PredictionSet Predictions(string configuration, int seed, int? fold = null)
    {
        if (Plan.Folds > 0 && fold is null)
        {
            throw new ArgumentException($"this experiment evaluates by {Plan.Folds}-fold cross-validation by actor: give the fold (1..{Plan.Folds})", nameof(fold));
        }
        var run = Plan.Finetuning.FirstOrDefault(f => f.Configuration == configuration && f.Seed == seed && f.Fold == fold
                && f.LabelFraction == Plan.HeadlineFraction && f.Mode == Plan.HeadlineMode)
            ?? throw new ArgumentException($"no fine-tuning run '{configuration}' seed {seed}{(fold is null ? "" : $" fold {fold}")} in the plan (configurations: {string.Join(", ", Plan.Configurations)}; seeds: {string.Join(", ", Plan.Seeds)})");
        return PredictionsFile.Read(new RunFolder(Path.Combine(OutputDirectory, run.RelativeDirectory)).PredictionsPath);
    }

    public override string ToString() =>
        $"profile {Profile.Name}, corpus {CorpusName}, {Plan.Seeds.Count} seed(s), {Plan.Configurations.Count} configurations; runs in {OutputDirectory}";

    /// <summary>Writes <see cref="AblationProgressLines"/> to the notebook cell's output.</summary>
    private sealed class AblationLogProgress(Action<string> log) : IProgress<AblationProgress>
    {
        public void Report(AblationProgress value)
        {
            if (AblationProgressLines.Describe(value) is { } line)
            {
                log(line.Text);
            }
        }
    }
}
