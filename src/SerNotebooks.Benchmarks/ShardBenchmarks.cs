using System.Diagnostics;
using System.Globalization;
using SerNotebooks.Ablation;
using SerNotebooks.Features;
using SerNotebooks.Features.Shards;
using SerNotebooks.Training;
using TorchSharp;

namespace SerNotebooks.Benchmarks;

/// <summary>
/// The paper-scale data path without audio: synthetic log-mel features of a 60.92 h corpus of 3–5 s clips (the
/// paper's pre-training size) chunked at the paper profile's C × m and written straight into shards (float32 and
/// float16), then: write time and size, the loader's throughput with prefetch over a full epoch, the real training
/// loop's step time on the paper model (CPU, the profile's threads) reading from those shards, the process's peak
/// RSS, the epoch time and the projected wall time of the paper ablation. Usage:
/// <c>paper-shards [OUT_DIR] [HOURS] [float32,float16]</c>.
/// </summary>
internal static class ShardBenchmarks
{
    private const double PaperHours = 60.92;
    private const int CremaClips = 7_442;

    public static void Paper(string[] args)
    {
        var outDir = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "sernb-bench-shards"));
        var hours = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : PaperHours;
        var precisions = (args.Length > 2 ? args[2] : "float32,float16").Split(',')
            .Select(p => p.Trim() == "float16" ? ShardPrecision.Float16 : ShardPrecision.Float32).ToArray();
        var profile = AblationProfile.Paper;
        var chunking = profile.Chunking;
        const int bands = 64;
        Directory.CreateDirectory(outDir);
        Native.TorchRuntime.EnsureLoadable();
        using (torch.zeros(1))
        {
            // Loads libtorch now, so its start-up is not counted as loader time.
        }

        // Disk first: measure at the largest size that fits comfortably (half the free space), and say so.
        var durations = Durations(hours);
        var fullBytes = new ShardGeometry(chunking.ChunkCount, chunking.ChunkFrames, bands, ShardPrecision.Float32).FileLength(durations.Length);
        var free = new DriveInfo(outDir).AvailableFreeSpace;
        Console.WriteLine($"disk: {free / 1e9:F1} GB free at {outDir}; float32 shards of {hours} h ({durations.Length:N0} clips) need {fullBytes / 1e9:F2} GB");
        var scale = 1.0;
        if (fullBytes > free / 2)
        {
            scale = free / 2.0 / fullBytes;
            durations = durations[..(int)(durations.Length * scale)];
            Console.WriteLine($"  measuring at {scale:P0} of the corpus ({durations.Length:N0} clips); sizes and epoch times below are extrapolated ×{1 / scale:F2}");
        }
        Console.WriteLine($"corpus: {durations.Length:N0} clips, {durations.Sum() / 3600:F2} h, 3–5 s each; chunking C = {chunking.ChunkCount}, m = {chunking.ChunkFrames}, F = {bands}; load average {LoadAverage()}");

        var rows = new List<string[]>();
        TimeSpan? stepTime = null;
        foreach (var precision in precisions)
        {
            var directory = Path.Combine(outDir, precision.ToString().ToLowerInvariant());
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
            var geometry = new ShardGeometry(chunking.ChunkCount, chunking.ChunkFrames, bands, precision);
            var ids = Enumerable.Range(0, durations.Length).Select(i => $"clip{i:D6}").ToArray();
            var clock = Stopwatch.StartNew();
            ShardSetWriter.Write(directory, System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"bench {precision}")),
                geometry, ShardWindowing.ChunkPlan, ids, i => ShardSetBuilder.RowsOf(Synthetic(durations[i], i, bands), i, chunking, ShardWindowing.ChunkPlan, new LogMelConfig()),
                maxParallelism: 2);
            var writeTime = clock.Elapsed;
            var size = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"[{precision}] wrote {size / 1e9:F2} GB in {writeTime.TotalSeconds:F0} s ({size / 1e6 / writeTime.TotalSeconds:F0} MB/s, synthesis and chunking included)");

            using var set = FeatureShardSet.Open(directory);
            var clips = ids.Select((id, i) => new DatasetClip(id, $"spk{i % 1000}", TrainingRun.TrainRole, "NEU")).ToArray();
            using var dataset = ChunkedDataset.FromShards(clips, set);
            clock.Restart();
            dataset.Normalize(dataset.FitNormalization(Enumerable.Range(0, clips.Length).ToArray()));
            var statsTime = clock.Elapsed;
            var (batchesPerSecond, clipsPerSecond, seconds) = LoaderEpoch(dataset, profile.BatchSize);
            Console.WriteLine($"[{precision}] normalisation statistics (streamed from the index) {statsTime.TotalSeconds:F1} s; loader epoch (warm: " +
                $"the set was just written, so it is in the page cache): {seconds:F0} s, {batchesPerSecond:F1} batches/s = {clipsPerSecond:F0} clips/s; peak RSS so far {PeakRssMb():F0} MB");
            // The same epoch with the set dropped from the page cache: what a machine whose RAM cannot hold the corpus gets.
            var cold = PageCache.Evict(directory) ? LoaderEpoch(dataset, profile.BatchSize) : (double.NaN, double.NaN, double.NaN);
            Console.WriteLine($"[{precision}] loader epoch (cold: set dropped from the page cache first): {cold.Item3:F0} s, {cold.Item1:F1} batches/s = {cold.Item2:F0} clips/s");

            stepTime ??= TrainingStep(dataset, profile);
            var stepsPerSecond = 1 / stepTime.Value.TotalSeconds;
            rows.Add([precision.ToString().ToLowerInvariant(), $"{size / scale / 1e9:F2}", $"{writeTime.TotalSeconds / scale:F0}",
                $"{batchesPerSecond:F1} / {cold.Item1:F1}", $"{clipsPerSecond:F0} / {cold.Item2:F0}", $"{stepsPerSecond:F2} ({stepsPerSecond * profile.BatchSize:F0} clips/s)",
                $"{batchesPerSecond / stepsPerSecond:F0}× / {cold.Item1 / stepsPerSecond:F0}×", $"{PeakRssMb():F0}"]);
            Directory.Delete(directory, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| precision | shards on disk (GB, 60.92 h) | write (s) | loader batches/s (warm / cold) | loader clips/s (warm / cold) | training steps/s (paper model, CPU) | loader headroom (warm / cold) | peak RSS (MB) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }
        Project(stepTime!.Value, (int)(durations.Length / scale), profile);
    }

    /// <summary>Clip durations uniform in [3, 5] s (fixed seed) until the corpus holds <paramref name="hours"/>.</summary>
    private static double[] Durations(double hours)
    {
        var random = new Random(2022);
        var durations = new List<double>();
        var total = 0.0;
        while (total < hours * 3600)
        {
            var d = 3 + 2 * random.NextDouble();
            durations.Add(d);
            total += d;
        }
        return durations.ToArray();
    }

    /// <summary>A log-mel-like matrix (10 ms hop) of uniform noise, seeded by the clip.</summary>
    private static FeatureMatrix Synthetic(double seconds, int clip, int bands)
    {
        var frames = CenteredFraming.FrameCount((int)(seconds * 16_000), 160);
        var random = new Random(clip);
        var values = new float[frames * bands];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() * 10 - 8;
        }
        return new FeatureMatrix(frames, bands, values);
    }

    /// <summary>One shuffled epoch through the loader (prefetch 2) into normalised batch tensors, as a step takes them.</summary>
    private static (double BatchesPerSecond, double ClipsPerSecond, double Seconds) LoaderEpoch(ChunkedDataset dataset, int batchSize)
    {
        var order = TrainingRun.Shuffle(Enumerable.Range(0, dataset.Count).ToArray(), TrainingRun.EpochSeed(1, 1));
        var batches = order.Chunk(batchSize).ToArray();
        var clock = Stopwatch.StartNew();
        using var loader = new BatchLoader(dataset, batches);
        var count = 0;
        foreach (var rows in loader.Read())
        {
            using var scope = torch.NewDisposeScope();
            using var batch = TrainingBatch.Select(dataset, [], rows);
            count++;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return (count / seconds, dataset.Count / seconds, seconds);
    }

    /// <summary>
    /// The median step of the real loop (<see cref="TrainingRun.RunInMemory"/> over a 640-clip shard-backed slice of the
    /// corpus: loader, forward, backward, Adam) with the paper profile's model, batch and threads.
    /// </summary>
    private static TimeSpan TrainingStep(ChunkedDataset corpus, AblationProfile profile)
    {
        const int trainClips = 640, devClips = 64;
        var config = new TrainingConfig
        {
            Kind = RunKind.Finetune,
            Model = profile.Model,
            Chunking = profile.Chunking,
            BatchSize = profile.BatchSize,
            Epochs = 2,
            Patience = 0,
            Threads = profile.Threads,
            Seed = 1,
        };
        var clips = Enumerable.Range(0, trainClips + devClips)
            .Select(i => new DatasetClip(corpus.Clips[i].Id, $"spk{i % 10}", i < trainClips ? "train" : "dev", config.Emotions[i % config.Emotions.Count]))
            .ToArray();
        using var dataset = ChunkedDataset.FromShards(clips, corpus.Shards!);
        var folder = Path.Combine(Path.GetTempPath(), "sernb-bench-shard-train-" + Guid.NewGuid().ToString("N"));
        var steps = new List<double>();
        var clock = Stopwatch.StartNew();
        try
        {
            TrainingRun.RunInMemory(config, folder, dataset, [], new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Phase == TrainingPhase.Step)
                {
                    if (p.Epoch > 1)
                    {
                        steps.Add(clock.Elapsed.TotalMilliseconds);
                    }
                    clock.Restart();
                }
                else if (p.Phase == TrainingPhase.EpochEnd)
                {
                    clock.Restart();
                }
            }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        steps.Sort();
        Console.WriteLine($"training step (paper model {config.Model.Encoder}, {config.Model.ConvChannels} channels, batch {config.BatchSize}, {config.Threads} threads, " +
            $"rows from shards): median {steps[steps.Count / 2]:F0} ms (min {steps[0]:F0}, max {steps[^1]:F0}) over {steps.Count} steps; load average {LoadAverage()}");
        return TimeSpan.FromMilliseconds(steps[steps.Count / 2]);
    }

    /// <summary>
    /// Epoch times and the paper ablation's wall time from the measured step: 8 configurations (baseline + 7 task
    /// combinations) × 5 seeds × CREMA-D's 5 sessions, plus label-efficiency runs at fractions 0.1, 0.25, 0.5, and the
    /// 7 × 5 pre-training runs they start from, every run at its maximum epochs (an upper bound: early stopping shortens it).
    /// </summary>
    /// <summary>The projection alone for a given step time (e.g. one measured on an idle machine): <c>paper-projection STEP_MS [CLIPS]</c>.</summary>
    public static void Projection(string[] args)
    {
        var step = TimeSpan.FromMilliseconds(double.Parse(args[0], CultureInfo.InvariantCulture));
        var clips = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Durations(PaperHours).Length;
        Project(step, clips, AblationProfile.Paper);
    }

    private static void Project(TimeSpan step, int corpusClips, AblationProfile profile)
    {
        var batch = profile.BatchSize;
        // Evaluation is forward only: about a third of a training step per batch.
        double EpochSeconds(int train, int eval) => Math.Ceiling(train / (double)batch) * step.TotalSeconds + Math.Ceiling(eval / (double)batch) * step.TotalSeconds / 3;
        var pretrainDev = (int)(corpusClips * profile.PretextDevSpeakerShare);
        var pretrainEpoch = EpochSeconds(corpusClips - pretrainDev, pretrainDev);
        // Sessions protocol: one session tested, one dev, three trained (60 / 20 / 20 % of CREMA-D's clips).
        var finetuneTrain = (int)(CremaClips * 0.6);
        var finetuneEpoch = EpochSeconds(finetuneTrain, (int)(CremaClips * 0.2));
        var plan = AblationPlan.Create(5).WithSessions(5);
        var pretrainRuns = plan.Pretraining.Count;
        var finetuneRuns = plan.Finetuning.Count;
        var fractions = new[] { 0.1, 0.25, 0.5 };
        var fractionRunsPerFraction = finetuneRuns;
        var pretrainRun = pretrainEpoch * profile.PretrainEpochs;
        var finetuneRun = finetuneEpoch * profile.FinetuneEpochs;
        var fractionSeconds = fractions.Sum(f => fractionRunsPerFraction * profile.FinetuneEpochs * EpochSeconds((int)(finetuneTrain * f), (int)(CremaClips * 0.2)));
        var total = pretrainRuns * pretrainRun + finetuneRuns * finetuneRun + fractionSeconds;
        Console.WriteLine();
        Console.WriteLine($"epoch time at {step.TotalMilliseconds:F0} ms/step: pre-training {corpusClips:N0} clips ({corpusClips - pretrainDev:N0} train, {pretrainDev:N0} pretext dev) " +
            $"= {pretrainEpoch / 3600:F2} h; fine-tuning CREMA-D ({finetuneTrain:N0} train clips) = {finetuneEpoch / 60:F1} min");
        Console.WriteLine($"paper ablation (upper bound, every run to its last epoch: {profile.PretrainEpochs} pre-training, {profile.FinetuneEpochs} fine-tuning epochs):");
        Console.WriteLine($"  {pretrainRuns} pre-training runs × {pretrainRun / 3600:F1} h = {pretrainRuns * pretrainRun / 86400:F1} days");
        Console.WriteLine($"  {finetuneRuns} fine-tuning runs (8 configurations × 5 seeds × 5 sessions) × {finetuneRun / 3600:F2} h = {finetuneRuns * finetuneRun / 86400:F1} days");
        Console.WriteLine($"  + {fractions.Length * fractionRunsPerFraction} label-efficiency runs (fractions {string.Join(", ", fractions)}) = {fractionSeconds / 86400:F1} days");
        Console.WriteLine($"  total on one 2-core machine: {total / 86400:F1} days ({total / 3600:F0} h)");
        foreach (var nodes in new[] { 2, 4, 8, 35 })
        {
            // Runs are independent apart from fine-tuning waiting for its pre-training run; with ≤ 35 nodes the
            // pre-training runs spread evenly, and fine-tuning fills the nodes afterwards.
            var wall = Math.Ceiling(pretrainRuns / (double)nodes) * pretrainRun + (finetuneRuns * finetuneRun + fractionSeconds) / nodes;
            Console.WriteLine($"  {nodes} nodes: {wall / 86400:F1} days");
        }
    }

    private static double PeakRssMb()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / 1048576.0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
