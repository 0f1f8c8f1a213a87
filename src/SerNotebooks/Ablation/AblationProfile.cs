using System.Reflection;
using System.Text.Json;
using SerNotebooks.Demo;
using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>
/// An experiment: model size, chunking, training lengths and seeds of an ablation. Experiments are JSON files
/// (<c>experiments/tiny.json</c>, <c>demo.json</c>, <c>paper.json</c> in the repository, built into the library);
/// a copied and edited file is a new experiment (<c>sernb reproduce --experiment FILE</c>), and
/// <c>--profile NAME</c> is the shortcut to a built-in one. ABLATION.md lists every field.
/// </summary>
/// <param name="Name">tiny, demo, paper, or the experiment file's own name (its file name when the file names none).</param>
/// <param name="Model">Encoder sizes.</param>
/// <param name="Chunking">Chunk length m (frames) and count C; the labelling uses the same chunking.</param>
/// <param name="BatchSize">Utterances per step.</param>
/// <param name="PretrainEpochs">Epochs of every pre-training run.</param>
/// <param name="FinetuneEpochs">Maximum epochs of every fine-tuning run.</param>
/// <param name="Patience">Fine-tuning early stopping (0 = never).</param>
/// <param name="LearningRate">Adam's learning rate, pre-training and fine-tuning.</param>
/// <param name="Threads">libtorch intra-op threads (1 is fastest on a loaded 2-core machine, TRAINING.md).</param>
/// <param name="Seeds">Seeds per configuration when the command line gives none.</param>
/// <param name="DemoCorpus">The demo corpus size generated for this experiment when it runs on the demo corpus.</param>
/// <param name="Description">What the experiment is for and where its numbers come from.</param>
public sealed record AblationProfile(
    string Name,
    ModelConfig Model,
    ChunkingConfig Chunking,
    int BatchSize,
    int PretrainEpochs,
    int FinetuneEpochs,
    int Patience,
    double LearningRate,
    int Threads,
    int Seeds = AblationPlan.DefaultSeedCount,
    DemoCorpusSize DemoCorpus = DemoCorpusSize.Demo,
    string? Description = null)
{
    /// <summary>
    /// Share of the pre-training corpus's speakers held out as the pretext dev set (TrainingConfig.PretextDevSpeakerShare):
    /// the best pre-training epoch is the one with the lowest pretext dev loss, and the per-task information gain is
    /// measured on these speakers.
    /// </summary>
    public double PretextDevSpeakerShare { get; init; } = 0.2;

    /// <summary>Pre-training early stopping on the pretext dev loss (0 = run all <see cref="PretrainEpochs"/>).</summary>
    public int PretrainPatience { get; init; }

    /// <summary>
    /// Fine-tuning: the encoder's learning rate as a multiple of <see cref="LearningRate"/>. The same for the baseline and
    /// the pre-trained configurations, so that they differ only in the encoder's initial weights.
    /// </summary>
    public double EncoderLearningRateScale { get; init; } = 1.0;

    /// <summary>Fine-tuning: head-only epochs before the encoder trains (the same for every configuration).</summary>
    public int EncoderWarmupEpochs { get; init; }

    /// <summary>
    /// Control configurations run beside the paper's (registered control tasks: <c>oracle-emotion</c>,
    /// <c>shuffled-&lt;task&gt;</c>); <c>--controls</c> overrides them. Empty by default.
    /// </summary>
    public IReadOnlyList<string> Controls { get; init; } = [];

    /// <summary>
    /// Where every run trains (TrainingConfig.Device: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>); null is the CPU and is left out
    /// of the JSON, so experiment files written before the field existed stay the same.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Device { get; init; }

    /// <summary>
    /// Labelled fractions of the training clips every configuration is fine-tuned on (<c>--label-fractions</c> overrides
    /// them); null is all labels only, and is left out of the JSON.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? LabelFractions { get; init; }

    /// <summary>
    /// Pre-training rows (TrainingConfig.Windowing): null is each clip's chunk plan; <c>windows</c> cuts clips longer than
    /// the C·m frames the model sees into windows that each become a row with labels of its own, so no frame is left out
    /// (Features/Shards/ClipWindows). Fine-tuning always classifies whole utterances. Left out of the JSON when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Features.Shards.ShardWindowing? PretrainWindowing { get; init; }

    /// <summary>
    /// Fine-tuning's training target for every configuration (TrainingConfig.Labels: <c>intended</c>, <c>perceived-voice</c>,
    /// <c>perceived-av</c>, <c>soft-voice</c>, <c>soft-av</c>, <c>multi-voice</c>, <c>multi-av</c>); <c>intended</c> is left out of the JSON, so experiment files
    /// written before the field existed stay the same.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public FinetuneLabels Labels { get; init; } = FinetuneLabels.Intended;

    /// <summary>Fine-tuning's penalty-matrix term for every configuration (<c>{"alpha": α, "beta": β}</c>); null = off, left out of the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PenaltyLossConfig? Penalty { get; init; }

    /// <summary>
    /// Notebook 07's study of fine-tuning targets (<see cref="TargetStudy"/>): the targets compared (names as
    /// <see cref="FinetuneTarget.Parse"/> reads them; the first is the reference of the comparisons). When set,
    /// <c>sernb reproduce</c> trains the study after the ablation with the same worker processes, and notebook 07 reads
    /// those runs; null = no study unless <c>--beyond</c> asks for one (<see cref="FinetuneTarget.BeyondThePaper"/>). Left out of
    /// the JSON when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>
    /// The study's task combinations: <c>best</c> (the best paper configuration of the ablation's table) or task lists such
    /// as <c>energy-variation+au-emotion</c>, or <c>opt-in</c> (every registered opt-in task alone), separated by ';'. Null =
    /// <c>best</c>, left out of the JSON.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetCombinations { get; init; }

    /// <summary>The study's targets: <see cref="Targets"/>, or <see cref="FinetuneTarget.BeyondThePaper"/> when the experiment names none.</summary>
    public IReadOnlyList<FinetuneTarget> StudyTargets() =>
        (Targets ?? FinetuneTarget.BeyondThePaper).Select(name => FinetuneTarget.Parse(name, Penalty)).ToArray();

    /// <summary>
    /// The study's combinations: <see cref="TargetCombinations"/>, or <see cref="TargetStudy.Best"/>; with
    /// <paramref name="withOptInTasks"/> (<c>sernb reproduce --beyond</c>) <see cref="TargetStudy.OptIn"/> is added when
    /// they do not name it, so every registered opt-in task joins the study.
    /// </summary>
    public string StudyCombinations(bool withOptInTasks = false)
    {
        var combinations = string.IsNullOrWhiteSpace(TargetCombinations) ? TargetStudy.Best : TargetCombinations;
        var named = combinations.Split(';', StringSplitOptions.TrimEntries).Contains(TargetStudy.OptIn, StringComparer.OrdinalIgnoreCase);
        return withOptInTasks && !named ? $"{combinations};{TargetStudy.OptIn}" : combinations;
    }

    /// <summary>File extension of experiment files.</summary>
    public const string FileExtension = ".json";

    private static readonly Lazy<IReadOnlyList<AblationProfile>> LazyBuiltIn = new(() =>
        new[] { "tiny", "demo", "paper" }.Select(name => FromJson(ReadEmbedded(name), $"experiments/{name}{FileExtension}")).ToList());

    /// <summary>Seconds-scale, for tests (<c>experiments/tiny.json</c>).</summary>
    public static AblationProfile Tiny => Named("tiny");

    /// <summary>README's main command (<c>experiments/demo.json</c>); its measured time is in ABLATION.md.</summary>
    public static AblationProfile Demo => Named("demo");

    /// <summary>The paper-sized setup on the user's manifests (<c>experiments/paper.json</c>).</summary>
    public static AblationProfile Paper => Named("paper");

    public static IReadOnlyList<AblationProfile> BuiltIn => LazyBuiltIn.Value;

    /// <summary>The built-in experiment called <paramref name="name"/>; the error lists the known ones.</summary>
    public static AblationProfile Named(string name) =>
        BuiltIn.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown profile '{name}'; known profiles: {string.Join(", ", BuiltIn.Select(p => p.Name))} (or give an experiment file: a path ending in {FileExtension})", nameof(name));

    /// <summary>
    /// A built-in experiment by name, or an experiment file by path (anything ending in <c>.json</c> or naming an existing
    /// file), so notebooks' <c>profile</c> parameter and the CLI accept both.
    /// </summary>
    public static AblationProfile Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        return nameOrPath.EndsWith(FileExtension, StringComparison.OrdinalIgnoreCase) || File.Exists(nameOrPath)
            ? Load(nameOrPath)
            : Named(nameOrPath);
    }

    /// <summary>Reads an experiment file; errors name the file and what is wrong.</summary>
    public static AblationProfile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path}: experiment file does not exist");
        }
        var profile = FromJson(File.ReadAllText(path), path);
        // A copied file that still says "demo" would share the built-in's default output folder and run names.
        return BuiltIn.Any(b => string.Equals(b.Name, profile.Name, StringComparison.OrdinalIgnoreCase)) && profile != Named(profile.Name)
            ? throw new ArgumentException($"{path}: names itself '{profile.Name}' like the built-in experiment but differs from it; give it a name of its own (\"name\": \"...\")")
            : profile;
    }

    /// <summary>Parses and validates an experiment; <paramref name="source"/> names it in errors.</summary>
    public static AblationProfile FromJson(string json, string source)
    {
        AblationProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<AblationProfile>(json, TrainingConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source}: invalid experiment at line {e.LineNumber + 1}: {e.Message}", e);
        }
        if (profile is null)
        {
            throw new ArgumentException($"{source}: empty experiment file");
        }
        if (profile.Model is null || profile.Chunking is null)
        {
            throw new ArgumentException($"{source}: \"model\" and \"chunking\" are required (use {{}} for the defaults)");
        }
        if (string.IsNullOrWhiteSpace(profile.Name))
        {
            profile = profile with { Name = Path.GetFileNameWithoutExtension(source) };
        }
        try
        {
            profile.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }
        return profile;
    }

    /// <summary>Two experiments are equal when their files say the same (lists such as <see cref="Controls"/> compared by content).</summary>
    public bool Equals(AblationProfile? other) => other is not null && string.Equals(ToJson(), other.ToJson(), StringComparison.Ordinal);

    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    /// <summary>The experiment as the results folder stores it (<c>experiment.json</c>): every field, defaults included.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingConfig.JsonOptions);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unusable field.</summary>
    public void Validate()
    {
        if (Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || Name.Contains('/'))
        {
            throw new ArgumentException($"name '{Name}' must be usable as a folder name");
        }
        if (BatchSize < 1 || PretrainEpochs < 1 || FinetuneEpochs < 1 || Patience < 0 || Threads < 0 || Seeds < 1)
        {
            throw new ArgumentException(
                $"batchSize, pretrainEpochs, finetuneEpochs and seeds must be ≥ 1, patience and threads ≥ 0 (got {BatchSize}, {PretrainEpochs}, {FinetuneEpochs}, {Seeds}, {Patience}, {Threads})");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"learningRate must be a positive number, got {LearningRate}");
        }
        if (!(PretextDevSpeakerShare >= 0 && PretextDevSpeakerShare < 1) || PretrainPatience < 0 || !(EncoderLearningRateScale > 0) || EncoderWarmupEpochs < 0)
        {
            throw new ArgumentException(
                $"pretextDevSpeakerShare must be in [0, 1), encoderLearningRateScale > 0, pretrainPatience and encoderWarmupEpochs ≥ 0 (got {PretextDevSpeakerShare}, {EncoderLearningRateScale}, {PretrainPatience}, {EncoderWarmupEpochs})");
        }
        Model.Validate();
        Chunking.Validate();
        Penalty?.Validate();
        if (Targets is not null)
        {
            var targets = Targets.Select(name => FinetuneTarget.Parse(name, Penalty).Name).ToList();
            if (targets.Count < 2 || targets.Distinct(StringComparer.Ordinal).Count() != targets.Count)
            {
                throw new ArgumentException($"targets must name at least two different fine-tuning targets, got [{string.Join(", ", Targets)}]");
            }
        }
    }

    private static string ReadEmbedded(string name)
    {
        var resource = $"SerNotebooks.Experiments.{name}{FileExtension}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"built-in experiment '{resource}' is missing from the library build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
