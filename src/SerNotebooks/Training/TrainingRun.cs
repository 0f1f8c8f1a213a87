using System.Diagnostics;
using System.Globalization;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Models;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>A run cannot start or continue; the message says why and what to do.</summary>
public sealed class TrainingRunException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs one experiment config in its own folder: pre-training on pretext tasks or fine-tuning on emotions.
/// Re-running the same command continues an interrupted run from its last epoch checkpoint and skips a
/// finished one; see TRAINING.md.
/// </summary>
public static class TrainingRun
{
    /// <summary>Runs (or resumes, or skips) <paramref name="config"/> in <paramref name="runDirectory"/>.</summary>
    /// <param name="config">The experiment (paths already absolute, see <see cref="TrainingConfig.Load"/>).</param>
    /// <param name="runDirectory">The folder the run owns.</param>
    /// <param name="labels">Pre-training: where labels come from; null reads <see cref="TrainingConfig.LabelsDirectory"/>.</param>
    /// <param name="progress">Called synchronously on the training thread.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled; the folder holds the last finished epoch.</exception>
    /// <exception cref="RunClaimedException">Another live process is training this run folder (<see cref="RunClaim"/>).</exception>
    public static TrainingResult Run(
        TrainingConfig config,
        string runDirectory,
        IPretextLabelSource? labels = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        TorchRuntime.EnsureLoadable();
        // A device this libtorch cannot use fails here, before any folder, feature or label work.
        TorchDevices.Resolve(config.Device);
        var folder = new RunFolder(runDirectory);
        foreach (var manifest in config.Manifests)
        {
            if (!File.Exists(Path.Combine(manifest, Manifest.CsvFileName)))
            {
                throw new TrainingRunException($"manifest folder '{manifest}' has no {Manifest.CsvFileName}");
            }
        }
        var manifestHash = RunFolder.HashManifests(config.Manifests);
        if (PrepareFolder(config, folder, manifestHash, progress) is { } finished)
        {
            return finished;
        }
        using var claim = Claim(config, folder, progress);
        if (FinishedMeanwhile(config, folder, progress) is { } finishedMeanwhile)
        {
            return finishedMeanwhile;
        }
        lock (TorchProcessGate)
        {
            ApplyThreads(config);
            return WithNativeErrorRestarts(config, folder, progress,
                () => TrainingSession.Create(config, folder, labels, progress, cancellationToken));
        }
    }

    /// <summary>
    /// Claims the run folder for this process (<see cref="RunClaim"/>), naming a stale claim it takes over.
    /// </summary>
    /// <exception cref="RunClaimedException">Another live process trains the run.</exception>
    private static RunClaim Claim(TrainingConfig config, RunFolder folder, IProgress<TrainingProgress>? progress)
    {
        var claim = RunClaim.TryAcquire(folder.Directory, out var holder)
            ?? throw new RunClaimedException(folder.Directory, holder);
        if (claim.TakenOver is { } stale)
        {
            progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Resumed, 0, config.Epochs, 0, 0, double.NaN,
                new Dictionary<string, double>(), TimeSpan.Zero, null,
                Message: $"{folder.Directory}: took over the claim of {stale.Describe()}, which is no longer running"));
        }
        return claim;
    }

    /// <summary>The stored result when the run finished while this process waited for its claim.</summary>
    private static TrainingResult? FinishedMeanwhile(TrainingConfig config, RunFolder folder, IProgress<TrainingProgress>? progress)
    {
        if (RunFolder.ReadJson<TrainingResult>(folder.FinalMetricsPath) is not { } finished)
        {
            return null;
        }
        progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Skipped, finished.EpochsRun, config.Epochs, 0, 0, 0,
            new Dictionary<string, double>(), TimeSpan.Zero, TimeSpan.Zero, finished.Metrics, "finished by another process"));
        return finished with { Skipped = true };
    }

    /// <summary>
    /// Runs <paramref name="config"/> on a dataset already in memory (synthetic data, notebooks, benchmarks) instead
    /// of its manifests: the same loop, checkpoints, resume and skip rules. The dataset must not be normalised yet
    /// (the run normalises it in place) and stays owned by the caller; its clips' ids and splits stand in for the
    /// manifest hash. <paramref name="labelSets"/> are the pre-training labels (ignored for fine-tuning).
    /// </summary>
    public static TrainingResult RunInMemory(
        TrainingConfig config,
        string runDirectory,
        ChunkedDataset dataset,
        IReadOnlyList<PretextLabelSet> labelSets,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dataset);
        config.Validate(requireManifests: false);
        TorchRuntime.EnsureLoadable();
        TorchDevices.Resolve(config.Device);
        var folder = new RunFolder(runDirectory);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            "in-memory\n" + string.Join("\n", dataset.Clips.Select(c => $"{c.Id},{c.Split},{c.Emotion}")))));
        if (PrepareFolder(config, folder, hash, progress) is { } finished)
        {
            return finished;
        }
        using var claim = Claim(config, folder, progress);
        if (FinishedMeanwhile(config, folder, progress) is { } finishedMeanwhile)
        {
            return finishedMeanwhile;
        }
        lock (TorchProcessGate)
        {
            ApplyThreads(config);
            return WithNativeErrorRestarts(config, folder, progress,
                () => TrainingSession.FromDataset(config, folder, dataset, ownsDataset: false, labelSets, progress, cancellationToken));
        }
    }

    /// <summary>
    /// libtorch's random generator and intra-op thread count are process-wide: two runs training at once in one
    /// process (a notebook kernel beside a CLI run, parallel tests) would draw from each other's random stream and
    /// lose "same seed, same numbers". Runs in one process therefore take turns.
    /// </summary>
    private static readonly object TorchProcessGate = new();

    /// <summary>
    /// Runs a session; after a native libtorch error (see <see cref="NativeErrorRestarts"/>) a new session resumes
    /// from the last finished epoch's checkpoint, which ends with the same numbers as an uninterrupted run.
    /// </summary>
    private static TrainingResult WithNativeErrorRestarts(TrainingConfig config, RunFolder folder, IProgress<TrainingProgress>? progress,
        Func<TrainingSession> startSession) =>
        NativeErrorRestarts.Run(
            () =>
            {
                using var session = startSession();
                return session.Run();
            },
            (attempt, reason) => progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Resumed, 0, config.Epochs, 0, 0, double.NaN,
                new Dictionary<string, double>(), TimeSpan.Zero, null,
                Message: $"{folder.Directory}: libtorch error ({reason}); restarting from the last finished epoch (session {attempt} of {NativeErrorRestarts.MaxAttempts})")));

    private static void ApplyThreads(TrainingConfig config)
    {
        if (config.Threads > 0)
        {
            torch.set_num_threads(config.Threads);
        }
    }

    /// <summary>
    /// The stored result (<see cref="TrainingResult.Skipped"/>) when <paramref name="runDirectory"/> holds this run,
    /// finished; null when it holds nothing or an unfinished run. Nothing is created or trained.
    /// </summary>
    /// <exception cref="TrainingRunException">The folder holds another run, or its manifests changed.</exception>
    public static TrainingResult? FinishedResult(TrainingConfig config, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        var folder = new RunFolder(runDirectory);
        if (!File.Exists(folder.FinalMetricsPath) || !File.Exists(folder.ConfigPath))
        {
            return null;
        }
        CheckFolderHoldsRun(config.CanonicalJson(), folder, RunFolder.HashManifests(config.Manifests));
        return RunFolder.ReadJson<TrainingResult>(folder.FinalMetricsPath) is { } finished ? finished with { Skipped = true } : null;
    }

    private static void CheckFolderHoldsRun(string canonical, RunFolder folder, string dataHash)
    {
        if (File.ReadAllText(folder.ConfigPath) != canonical)
        {
            throw new TrainingRunException(
                $"{folder.ConfigPath}: the run folder holds a run with a different config; use another --out folder or delete this one");
        }
        if (File.Exists(folder.ManifestHashPath) && File.ReadAllText(folder.ManifestHashPath).Trim() != dataHash)
        {
            throw new TrainingRunException(
                $"{folder.ManifestHashPath}: the manifests changed since this run started; use another --out folder or delete this one");
        }
    }

    /// <summary>Creates the run folder, or checks that it holds this run; the stored result when the run already finished.</summary>
    private static TrainingResult? PrepareFolder(TrainingConfig config, RunFolder folder, string dataHash, IProgress<TrainingProgress>? progress)
    {
        var canonical = config.CanonicalJson();
        if (File.Exists(folder.ConfigPath))
        {
            CheckFolderHoldsRun(canonical, folder, dataHash);
            if (RunFolder.ReadJson<TrainingResult>(folder.FinalMetricsPath) is { } finished)
            {
                progress?.Report(new TrainingProgress(config.Kind, TrainingPhase.Skipped, finished.EpochsRun, config.Epochs, 0, 0, 0,
                    new Dictionary<string, double>(), TimeSpan.Zero, TimeSpan.Zero, finished.Metrics, "already finished"));
                return finished with { Skipped = true };
            }
            return null;
        }
        System.IO.Directory.CreateDirectory(folder.Directory);
        AtomicFile.WriteAllText(folder.ConfigPath, canonical);
        AtomicFile.WriteAllText(folder.ManifestHashPath, dataHash + "\n");
        return null;
    }

    /// <summary>
    /// The fine-tuning model exactly as a run starts it (step 0): initialised from the seed, then the pre-trained
    /// run's encoder loaded over it when <see cref="TrainingConfig.PretrainedRun"/> is set, frozen on request.
    /// </summary>
    public static EmotionClassifier CreateEmotionClassifier(TrainingConfig config)
    {
        torch.manual_seed(config.Seed);
        var classifier = new EmotionClassifier(config.Model, config.Emotions.Count);
        if (config.PretrainedRun is { } pretrainedRun)
        {
            classifier.Encoder.Load(new RunFolder(pretrainedRun).EncoderPath);
        }
        if (config.FreezeEncoder)
        {
            foreach (var parameter in classifier.Encoder.parameters())
            {
                parameter.requires_grad = false;
            }
        }
        if (!TorchDevices.IsCpu(config.Device))
        {
            // After the encoder is loaded (checkpoints are read on the CPU), before the optimiser is made.
            classifier.to(TorchDevices.Resolve(config.Device));
        }
        return classifier;
    }

    /// <summary>Loads the clips of <paramref name="config"/>'s manifests with their run split (only the labelled fraction of the training clips when <see cref="TrainingConfig.LabelFraction"/> is set).</summary>
    public static IReadOnlyList<(Manifest Manifest, ManifestEntry Entry, string Split)> SelectClips(TrainingConfig config)
    {
        var clips = new List<(Manifest, ManifestEntry, string)>();
        var known = config.Splits.Train.Concat(config.Splits.Dev).Concat(config.Splits.Test).ToHashSet(StringComparer.Ordinal);
        var manifests = config.Manifests.Select(d => (Directory: d, Manifest: Manifest.Load(d))).ToArray();
        var pretextDev = config.Kind == RunKind.Pretrain && config.PretextDevSpeakerShare > 0
            ? PretextDevSpeakers.Select(
                manifests.SelectMany(m => m.Manifest.Entries).Where(e => e.Split is null && config.SpeakerSplits?.ContainsKey(e.Speaker) != true).Select(e => e.Speaker),
                config.PretextDevSpeakerShare)
            : new HashSet<string>();
        foreach (var (directory, manifest) in manifests)
        {
            foreach (var entry in manifest.Entries)
            {
                string? split = null;
                if (config.SpeakerSplits is not null && config.SpeakerSplits.TryGetValue(entry.Speaker, out var bySpeaker))
                {
                    split = bySpeaker;
                }
                split ??= entry.Split;
                if (split is null && config.Kind == RunKind.Pretrain)
                {
                    // Unlabelled pre-training corpora have no split column: all of it is training data, except the
                    // pretext dev speakers (PretextDevSpeakerShare).
                    split = pretextDev.Contains(entry.Speaker) && config.Splits.Dev.Count > 0 ? config.Splits.Dev[0] : config.Splits.Train[0];
                }
                if (split is null)
                {
                    throw new TrainingRunException(
                        $"{Path.Combine(directory, Manifest.CsvFileName)}: clip '{entry.Id}' has no split; fill the split column or give speakerSplits in the config");
                }
                if (!known.Contains(split))
                {
                    continue; // Another fold or an excluded split.
                }
                clips.Add((manifest, entry, RoleOf(config.Splits, split)));
            }
        }
        return LabelFractionSubset.Apply(config, clips);
    }

    /// <summary>
    /// A clip's role in a run, as <see cref="DatasetClip.Split"/> holds it after <see cref="SelectClips"/>: the clips
    /// the run trains on (and fits the feature normalisation on); pre-training clips without a split are training clips.
    /// </summary>
    public const string TrainRole = "train";

    /// <summary>The role of the clips that choose the best epoch (and stop fine-tuning early).</summary>
    public const string DevRole = "dev";

    /// <summary>The role of the clips a fine-tuning run is finally scored on.</summary>
    public const string TestRole = "test";

    private static string RoleOf(SplitConfig splits, string split) =>
        splits.Train.Contains(split) ? TrainRole : splits.Dev.Contains(split) ? DevRole : TestRole;

    /// <summary>The seed of everything random in epoch <paramref name="epoch"/> (data order, dropout): a function of (seed, epoch) only.</summary>
    public static long EpochSeed(int seed, int epoch) => unchecked((long)SplitMix64((ulong)(uint)seed * 1_000_003UL + (ulong)epoch) & long.MaxValue);

    /// <summary>A Fisher–Yates shuffle driven by SplitMix64 from <paramref name="seed"/>: the same on every platform and .NET version.</summary>
    public static int[] Shuffle(IReadOnlyList<int> items, long seed)
    {
        var result = items.ToArray();
        var state = (ulong)seed;
        for (var i = result.Length - 1; i > 0; i--)
        {
            state = SplitMix64(state);
            var j = (int)(state % (ulong)(i + 1));
            (result[i], result[j]) = (result[j], result[i]);
        }
        return result;
    }

    internal static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Mean cross-entropy over the entries whose target is not −1; (0, 0) when there are none (never NaN). See <see cref="PretrainingLoss.MaskedCrossEntropy"/>.</summary>
    public static (Tensor Loss, long Count) MaskedCrossEntropy(Tensor logits, Tensor targets) => PretrainingLoss.MaskedCrossEntropy(logits, targets);

    /// <summary>
    /// The pre-training loss of one batch, unweighted by class: L = Σ_t w_t·L_t (see <see cref="PretrainingLoss.MaskedMultiTaskLoss"/>,
    /// which a run calls with the class weights of its imbalanced tasks).
    /// </summary>
    /// <param name="logits">Per task name, its head's logits: [B, C, K] for a chunk task, [B, K] for an utterance task.</param>
    /// <param name="batch">The batch the logits were computed from.</param>
    /// <param name="weights">w_t, one per task of <paramref name="batch"/> in its order; null weighs every task 1.</param>
    public static (Tensor? Total, double?[] TaskLosses) MaskedMultiTaskLoss(
        IReadOnlyDictionary<string, Tensor> logits, TrainingBatch batch, IReadOnlyList<double>? weights = null) =>
        PretrainingLoss.MaskedMultiTaskLoss(logits, batch, weights);

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
