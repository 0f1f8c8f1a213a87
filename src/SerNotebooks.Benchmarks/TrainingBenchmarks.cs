using System.Diagnostics;
using SerNotebooks.Models;
using SerNotebooks.Training;

namespace SerNotebooks.Benchmarks;

/// <summary>
/// The real fine-tuning loop (<see cref="TrainingRun.RunInMemory"/>: batching, forward, backward, Adam, dev
/// evaluation, epoch checkpoints) on synthetic utterances of the default shape, 11 chunks × 100 frames × 64 mels,
/// batch 32. Reports step time, utterances/s, RSS after every epoch (flat = no leak across epochs) and peak RSS.
/// </summary>
internal static class TrainingBenchmarks
{
    public static void Conv() => Run(ChunkEncoderKind.Conv, trainClips: 320, epochs: 5);

    public static void Lstm() => Run(ChunkEncoderKind.Lstm, trainClips: 160, epochs: 2);

    private static void Run(ChunkEncoderKind encoder, int trainClips, int epochs)
    {
        const int chunks = 11, frames = 100, mels = 64, devClips = 64;
        var config = new TrainingConfig
        {
            Kind = RunKind.Finetune,
            Model = new ModelConfig { Encoder = encoder },
            BatchSize = 32,
            Epochs = epochs,
            Patience = 0,
            Threads = int.TryParse(Environment.GetEnvironmentVariable("SERNB_BENCH_THREADS"), out var threads) ? threads : 2,
            Seed = 1,
        };
        var clips = Enumerable.Range(0, trainClips + devClips)
            .Select(i => new DatasetClip($"clip{i:D4}", $"spk{i % 10}", i < trainClips ? "train" : "dev", config.Emotions[i % config.Emotions.Count]))
            .ToArray();
        var data = Synthetic(clips, chunks * frames * mels, config.Emotions);
        using var dataset = ChunkedDataset.FromArrays(clips, data, chunks, frames, mels);
        data = null;
        GC.Collect();

        var folder = Path.Combine(Path.GetTempPath(), "sernb-bench-train-" + Guid.NewGuid().ToString("N"));
        var stepTimes = new List<double>();
        var stepCpu = new List<double>();
        var cpuAtStepStart = TimeSpan.Zero;
        var rss = new List<(int Epoch, double Mb)>();
        var clock = Stopwatch.StartNew();
        var process = Process.GetCurrentProcess();
        try
        {
            TrainingRun.RunInMemory(config, folder, dataset, [], new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Phase == TrainingPhase.Step)
                {
                    // Full batches after the first epoch (JIT and libtorch warm-up are over).
                    process.Refresh();
                    var cpu = process.TotalProcessorTime;
                    if (p.Epoch > 1 && p.Step * config.BatchSize <= trainClips)
                    {
                        stepTimes.Add(clock.Elapsed.TotalMilliseconds);
                        stepCpu.Add((cpu - cpuAtStepStart).TotalMilliseconds);
                    }
                    cpuAtStepStart = cpu;
                    clock.Restart();
                }
                else if (p.Phase == TrainingPhase.EpochEnd)
                {
                    GC.Collect();
                    process.Refresh();
                    rss.Add((p.Epoch, process.WorkingSet64 / 1048576.0));
                    process.Refresh();
                    cpuAtStepStart = process.TotalProcessorTime;
                    clock.Restart(); // The next step's time excludes evaluation and checkpointing.
                }
            }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        process.Refresh();
        stepTimes.Sort();
        stepCpu.Sort();
        var median = stepTimes[stepTimes.Count / 2];
        Console.WriteLine($"encoder {encoder}, batch 32 × {chunks} chunks × {frames} frames × {mels} mels, {config.Threads} threads, {trainClips} training clips");
        Console.WriteLine($"  step (forward + backward + Adam), median of {stepTimes.Count}: {median:F0} ms  (min {stepTimes[0]:F0}, max {stepTimes[^1]:F0})");
        Console.WriteLine($"  CPU time per step (both threads), median: {stepCpu[stepCpu.Count / 2]:F0} ms; machine load average {LoadAverage()}");
        Console.WriteLine($"  throughput: {32_000 / median:F0} utterances/s");
        Console.WriteLine($"  RSS after each epoch (MB): {string.Join(", ", rss.Select(r => $"{r.Epoch}: {r.Mb:F0}"))}");
        Console.WriteLine($"  RSS epoch {rss[^1].Epoch} − epoch 1: {rss[^1].Mb - rss[0].Mb:+0;-0} MB; peak RSS {process.PeakWorkingSet64 / 1048576.0:F0} MB " +
            $"(dataset tensor {(long)dataset.Count * chunks * frames * mels * 4 / 1048576.0:F0} MB)");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>Noise with a class-dependent offset in a few bands, so the loss has something to learn.</summary>
    private static float[] Synthetic(IReadOnlyList<DatasetClip> clips, int perClip, IReadOnlyList<string> emotions)
    {
        var random = new Random(7);
        var data = new float[(long)clips.Count * perClip];
        for (var i = 0; i < clips.Count; i++)
        {
            var label = emotions.ToList().IndexOf(clips[i].Emotion!);
            for (var j = 0; j < perClip; j++)
            {
                var band = j % 64;
                data[(long)i * perClip + j] = (float)(random.NextDouble() * 2 - 1) + (band / 10 == label ? 0.5f : 0f);
            }
        }
        return data;
    }
}
