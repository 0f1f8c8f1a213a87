using System.Text.Json;
using System.Text.Json.Serialization;
using SerNotebooks.Features;
using SerNotebooks.Models;

namespace SerNotebooks.Training;

/// <summary>Pre-training on pretext tasks, or fine-tuning on emotion labels.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunKind>))]
public enum RunKind
{
    Pretrain,
    Finetune,
}

/// <summary>
/// Whether a pre-training task's cross-entropy weighs its classes: <c>auto</c> weighs a task whose majority class
/// holds more than half of its training labels (sqrt-inverse frequency, mean 1, see <see cref="ClassWeights"/>);
/// <c>off</c> never does.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClassWeighting>))]
public enum ClassWeighting
{
    Auto,
    Off,
}

/// <summary>
/// What fine-tuning learns to predict (TRAINING.md, "Training targets"): the emotion the actor intended (the file
/// name), the raters' perceived majority label in voice-only or audiovisual ratings (clips whose raters tie have no
/// label and are left out of the loss), or the raters' whole vote distribution (soft: KL divergence to it).
/// </summary>
public enum FinetuneLabels
{
    Intended,
    PerceivedVoice,
    PerceivedAv,
    SoftVoice,
    SoftAv,

    /// <summary>Multi-label: every emotion at least one voice-only rater chose, each a binary target (binary cross-entropy).</summary>
    MultiVoice,

    /// <summary>Multi-label from the audiovisual raters (binary cross-entropy).</summary>
    MultiAv,
}

/// <summary>
/// The penalty-matrix term of fine-tuning (TRAINING.md, "Penalty-matrix loss"): total = β·L + α·L_P, with P computed from
/// the training clips' rater votes. Absent (null) = off, the plain loss.
/// </summary>
public sealed record PenaltyLossConfig
{
    /// <summary>α, the weight of the penalised term L_P.</summary>
    public double Alpha { get; init; }

    /// <summary>β, the weight of the usual loss L.</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>Throws <see cref="ArgumentException"/> unless α and β are finite, ≥ 0 and not both 0.</summary>
    public void Validate()
    {
        if (!(Alpha >= 0 && Beta >= 0 && double.IsFinite(Alpha) && double.IsFinite(Beta) && Alpha + Beta > 0))
        {
            throw new ArgumentException($"penalty: alpha and beta must be finite and ≥ 0, not both 0 (got {Alpha}, {Beta})");
        }
    }
}

/// <summary>One pretext task of a pre-training run and its weight in the summed loss.</summary>
public sealed record TaskWeight(string Name, double Weight = 1.0);

/// <summary>Adam settings.</summary>
public sealed record OptimizerConfig
{
    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; }
}

/// <summary>Which values of a manifest's <c>split</c> column make the training, dev and test sets.</summary>
public sealed record SplitConfig
{
    public IReadOnlyList<string> Train { get; init; } = ["train"];

    public IReadOnlyList<string> Dev { get; init; } = ["dev"];

    public IReadOnlyList<string> Test { get; init; } = ["test"];
}

/// <summary>
/// One run, as a JSON file (see TRAINING.md for every field). Relative paths are resolved against the config
/// file's folder by <see cref="Load"/>; <see cref="CanonicalJson"/> is what the run folder stores and compares.
/// </summary>
public sealed record TrainingConfig
{
    public static readonly IReadOnlyList<string> CremaDEmotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    public RunKind Kind { get; init; } = RunKind.Finetune;

    /// <summary>Manifest folders (manifest.csv + manifest.json) whose clips the run uses.</summary>
    public IReadOnlyList<string> Manifests { get; init; } = [];

    public SplitConfig Splits { get; init; } = new();

    /// <summary>Speaker → split, overriding the manifest's split column (for corpora whose split column is empty).</summary>
    public IReadOnlyDictionary<string, string>? SpeakerSplits { get; init; }

    /// <summary>Pre-training: the tasks and their loss weights.</summary>
    public IReadOnlyList<TaskWeight> Tasks { get; init; } = [];

    /// <summary>
    /// Pre-training: the share of the speakers of clips without a split that become the pretext dev set
    /// (<see cref="PretextDevSpeakers"/>: a fixed-seed deal of speaker ids, never of clips); 0 = no pretext dev set.
    /// </summary>
    public double PretextDevSpeakerShare { get; init; }

    /// <summary>Pre-training: class-weighted cross-entropy for imbalanced tasks (see <see cref="Training.ClassWeighting"/>).</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.Auto;

    /// <summary>Pre-training from the CLI: folder of label files written by <c>PretextLabelSetFile</c>.</summary>
    public string? LabelsDirectory { get; init; }

    /// <summary>Fine-tuning: a finished pre-training run folder whose encoder to start from; null = random init (the baseline).</summary>
    public string? PretrainedRun { get; init; }

    /// <summary>Fine-tuning: keep the encoder's weights (and batch-norm statistics) fixed and train the head only.</summary>
    public bool FreezeEncoder { get; init; }

    /// <summary>
    /// Fine-tuning: the encoder's learning rate is this × <see cref="OptimizerConfig.LearningRate"/> (its own Adam
    /// parameter group); the head always trains at the full rate.
    /// </summary>
    public double EncoderLearningRateScale { get; init; } = 1.0;

    /// <summary>Fine-tuning: the first this many epochs train the head only (encoder frozen as with <see cref="FreezeEncoder"/>), then the encoder joins.</summary>
    public int EncoderWarmupEpochs { get; init; }

    /// <summary>
    /// Fine-tuning: train on this fraction of the training clips only (label efficiency; <see cref="LabelFractionSubset"/>:
    /// emotion-stratified, nested across fractions, drawn with <see cref="Seed"/>). Null = all of them; omitted from the
    /// JSON when null, so configs written before the field existed stay valid.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LabelFraction { get; init; }

    /// <summary>
    /// How the run's chunked features are stored in its shard set (Features/Shards/SHARDS.md): null = float32, the exact
    /// numbers; <c>float16</c> halves disk and page cache but rounds every input (different numbers). Omitted from the JSON
    /// when null, so configs and run identities written before the field existed stay the same.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Features.Shards.ShardPrecision? FeaturePrecision { get; init; }

    /// <summary>
    /// Pre-training: what one training row is. Null (or <c>chunk-plan</c>) = each clip's chunk plan, C chunks spread over
    /// the whole clip (frames between chunks of a clip longer than C·m are never seen); <c>windows</c> = each C·m-frame
    /// window of a longer clip is a row of its own, labelled as a clip of its own (Features/Shards/ClipWindows). Fine-tuning
    /// classifies whole utterances and leaves it null. Omitted from the JSON when null, so earlier run identities stay.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Features.Shards.ShardWindowing? Windowing { get; init; }

    /// <summary>The rows this run trains on (<see cref="Windowing"/>, chunk plan when unset).</summary>
    [JsonIgnore]
    public Features.Shards.ShardWindowing Rows => Windowing ?? Features.Shards.ShardWindowing.ChunkPlan;

    /// <summary>
    /// Fine-tuning: the training target (<see cref="FinetuneLabels"/>). Omitted from the JSON when <c>intended</c>, so
    /// configs and run identities written before the field existed stay the same.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public FinetuneLabels Labels { get; init; } = FinetuneLabels.Intended;

    /// <summary>Fine-tuning: the penalty-matrix term (null = off); omitted from the JSON when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PenaltyLossConfig? Penalty { get; init; }

    /// <summary>Fine-tuning: emotion classes, in head order.</summary>
    public IReadOnlyList<string> Emotions { get; init; } = CremaDEmotions;

    public ModelConfig Model { get; init; } = new();

    public ChunkingConfig Chunking { get; init; } = new();

    public OptimizerConfig Optimizer { get; init; } = new();

    public int BatchSize { get; init; } = 32;

    public int Epochs { get; init; } = 20;

    /// <summary>
    /// Stop after this many epochs without a better dev score (0 = never stop early): fine-tuning's dev macro-F1,
    /// pre-training's pretext dev loss (pre-training without a dev split never stops early).
    /// </summary>
    public int Patience { get; init; } = 5;

    public int Seed { get; init; } = 1;

    /// <summary>Only "cpu" is supported (TorchSharp-cpu).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Feature cache folder; null computes features without caching.</summary>
    public string? FeatureCache { get; init; }

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A task without labels in the dev split has a NaN loss; metrics files must still be writable.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Reads a config file; errors name the file and what is wrong.</summary>
    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainingConfigException(path, "file does not exist");
        }
        TrainingConfig config;
        try
        {
            config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(path), JsonOptions)
                ?? throw new TrainingConfigException(path, "empty config");
        }
        catch (JsonException e)
        {
            throw new TrainingConfigException(path, $"invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        var resolved = config.ResolvePaths(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            resolved.Validate();
        }
        catch (ArgumentException e)
        {
            throw new TrainingConfigException(path, e.Message);
        }
        return resolved;
    }

    /// <summary>The config with every path made absolute against <paramref name="baseDirectory"/>.</summary>
    public TrainingConfig ResolvePaths(string baseDirectory)
    {
        string? Full(string? p) => p is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, p));
        return this with
        {
            Manifests = Manifests.Select(m => Full(m)!).ToArray(),
            LabelsDirectory = Full(LabelsDirectory),
            PretrainedRun = Full(PretrainedRun),
            FeatureCache = Full(FeatureCache),
        };
    }

    /// <param name="requireManifests">False for runs on an in-memory dataset.</param>
    public void Validate(bool requireManifests = true)
    {
        if (requireManifests && Manifests.Count == 0)
        {
            throw new ArgumentException("manifests: at least one manifest folder is needed");
        }
        if (!Native.TorchDevices.IsValidName(Device))
        {
            throw new ArgumentException($"device '{Device}': expected cpu, cuda or cuda:N");
        }
        if (BatchSize < 1 || Epochs < 1 || Patience < 0 || Threads < 0)
        {
            throw new ArgumentException($"batchSize and epochs must be ≥ 1, patience and threads ≥ 0 (got {BatchSize}, {Epochs}, {Patience}, {Threads})");
        }
        if (Optimizer.LearningRate <= 0 || Optimizer.WeightDecay < 0)
        {
            throw new ArgumentException($"optimizer: learningRate must be > 0 and weightDecay ≥ 0 (got {Optimizer.LearningRate}, {Optimizer.WeightDecay})");
        }
        Model.Validate();
        Chunking.Validate();
        if (!(PretextDevSpeakerShare >= 0 && PretextDevSpeakerShare <= 0.5))
        {
            throw new ArgumentException($"pretextDevSpeakerShare must be in [0, 0.5] (got {PretextDevSpeakerShare})");
        }
        if (!(EncoderLearningRateScale > 0 && EncoderLearningRateScale <= 10))
        {
            throw new ArgumentException($"encoderLearningRateScale must be in (0, 10] (got {EncoderLearningRateScale})");
        }
        if (EncoderWarmupEpochs < 0 || EncoderWarmupEpochs >= Epochs)
        {
            throw new ArgumentException($"encoderWarmupEpochs must be ≥ 0 and below epochs ({Epochs}) so the encoder trains at all (got {EncoderWarmupEpochs})");
        }
        if (EncoderWarmupEpochs > 0 && FreezeEncoder)
        {
            throw new ArgumentException("encoderWarmupEpochs and freezeEncoder exclude each other: a frozen encoder never unfreezes");
        }
        if (Kind == RunKind.Pretrain)
        {
            if (Tasks.Count == 0)
            {
                throw new ArgumentException("tasks: pre-training needs at least one pretext task");
            }
            var duplicate = Tasks.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ArgumentException($"tasks: '{duplicate.Key}' is listed twice");
            }
            if (Tasks.FirstOrDefault(t => !(t.Weight > 0) || double.IsInfinity(t.Weight)) is { } bad)
            {
                throw new ArgumentException($"tasks: weight of '{bad.Name}' must be a positive number, got {bad.Weight}");
            }
        }
        else
        {
            if (Rows == Features.Shards.ShardWindowing.Windows)
            {
                throw new ArgumentException("windowing: windows are for pre-training; fine-tuning classifies whole utterances (their chunk plan)");
            }
            if (LabelFraction is { } fraction && !(fraction > 0 && fraction <= 1))
            {
                throw new ArgumentException($"labelFraction must be in (0, 1], got {fraction}");
            }
            if (Emotions.Count < 2 || Emotions.Distinct().Count() != Emotions.Count)
            {
                throw new ArgumentException("emotions: at least two distinct classes are needed");
            }
            Penalty?.Validate();
            if (Labels != FinetuneLabels.Intended || Penalty is not null)
            {
                if (Emotions.FirstOrDefault(e => !Data.RaterVoteCounts.Emotions.Contains(e, StringComparer.OrdinalIgnoreCase)) is { } unrated)
                {
                    throw new ArgumentException($"labels {Labels}{(Penalty is null ? "" : " with penalty")}: emotion '{unrated}' has no rater votes (rated: {string.Join(", ", Data.RaterVoteCounts.Emotions)})");
                }
            }
        }
    }

    public string CanonicalJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>A training config file is unusable; the message names the file.</summary>
public sealed class TrainingConfigException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
