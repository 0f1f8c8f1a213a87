using SerNotebooks.Ablation;
using SerNotebooks.Data;
using SerNotebooks.Demo;
using SerNotebooks.Features;
using SerNotebooks.Features.Shards;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Tests.Demo;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

/// <summary>
/// Windowed pre-training (<c>pretrainWindowing: windows</c>): a clip longer than the C·m frames the model sees becomes
/// one row per window, each labelled from its own frames, and no frame is left out. The tiny corpus's clips (1.5–5 s)
/// against the tiny profile's 4 × 40 frames (1.6 s) have up to 4 windows.
/// </summary>
[Collection(TinyCorpusCollection.Name)]
public sealed class WindowedPretrainingTests(TinyCorpusFixture corpus) : IDisposable
{
    private static readonly ChunkingConfig Chunking = AblationProfile.Tiny.Chunking;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-windows-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void EveryFrameOfALongClipIsInAWindowOfConsecutiveChunksInTheClipsFrameNumbers()
    {
        var framing = new LogMelConfig();
        var chunking = new ChunkingConfig();
        var logMel = new FeatureMatrix(2300, 2, Enumerable.Range(0, 4600).Select(v => (float)v).ToArray());
        var seen = new int[2300];

        foreach (var start in ClipWindows.Starts(2300, chunking))
        {
            var plan = ClipWindows.Plan(2300, start, chunking, framing);
            var chunked = ClipWindows.Extract(logMel, start, chunking, framing);
            Assert.Equal(11, plan.ChunkCount);
            for (var k = 0; k < plan.ChunkCount; k++)
            {
                var chunk = plan.Chunks[k];
                Assert.Equal((start + k * 100, 100), (chunk.StartFrame, chunk.ValidFrames));
                Assert.Equal(chunk.StartFrame * 0.01, chunk.StartSeconds, 12);
                for (var j = 0; j < 100; j++)
                {
                    seen[chunk.StartFrame + j]++;
                    // Row t of the window is the clip's frame start + t: the values say which frame they came from.
                    Assert.Equal(2 * (chunk.StartFrame + j), chunked.Data[(k * 100 + j) * 2]);
                }
            }
        }

        Assert.All(seen, count => Assert.InRange(count, 1, 2));
        Assert.Equal(3 * 1100, seen.Sum()); // 3 windows of 1100 frames: the last one overlaps the second by 1000
        // A clip that fits is its own chunk plan, padding and all.
        Assert.Equal(DynamicChunker.Plan(700, chunking, framing).Chunks, ClipWindows.Plan(700, 0, chunking, framing).Chunks);
    }

    [Fact]
    public void WindowedLabellingMeasuresEachWindowFromItsOwnFramesAndNamesItAsTheDatasetDoes()
    {
        var manifest = Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder));
        var extractor = new FeatureExtractor();
        var labelling = new PretextLabelling(PretextTaskRegistry.CreateDefault(), extractor, Chunking) { Windowing = ShardWindowing.Windows };

        var result = labelling.Run(manifest, ["energy-variation", "au-emotion"]);

        var energy = result.Measurements["energy-variation"].ToDictionary(m => m.ClipId);
        var windowCounts = new List<int>();
        foreach (var entry in manifest.Entries)
        {
            var features = extractor.Extract(manifest.Resolve(entry.AudioPath));
            var starts = ClipWindows.Starts(features.Frames, Chunking);
            windowCounts.Add(starts.Length);
            for (var w = 0; w < starts.Length; w++)
            {
                var id = ClipWindows.RowId(entry.Id, w, starts.Length);
                var window = result.Entries.Single(e => e.Id == id);
                if (starts.Length > 1)
                {
                    Assert.Equal(entry.Id, window.Extras[PretextLabelling.WindowOfColumn]);
                    Assert.Equal(starts[w].ToString(System.Globalization.CultureInfo.InvariantCulture), window.Extras[PretextLabelling.WindowStartColumn]);
                    Assert.Equal(entry.Speaker, window.Speaker);
                }
                var values = energy[id].ChunkValues!;
                for (var k = 0; k < Chunking.ChunkCount; k++)
                {
                    // A window's chunk k starts k·m frames after the window; a one-window clip keeps its chunk plan.
                    var first = starts.Length == 1
                        ? DynamicChunker.Plan(features.Frames, Chunking, extractor.Config.LogMel).Chunks[k].StartFrame
                        : starts[w] + k * Chunking.ChunkFrames;
                    Assert.Equal(EnergySpread(features, first), values[k], 9);
                }
            }
        }

        Assert.Contains(windowCounts, count => count >= 3);
        Assert.Equal(windowCounts.Sum(), result.ClipCount);
        // Utterance labels describe the clip: every window of it carries the clip's AU-emotion label.
        var au = result.LabelSets["au-emotion"].ByClip;
        foreach (var group in au.Values.GroupBy(l => l.ClipId.Split(ClipWindows.WindowSeparator)[0]))
        {
            Assert.Single(group.Select(l => l.UtteranceLabel).Distinct());
        }
    }

    [Fact]
    public void AWindowedPretrainingRunTrainsOnEveryWindowAndNormalisesWithEachFrameOnce()
    {
        var ablation = AblationCorpus.FromManifests(
            Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder),
            Path.Combine(corpus.Root, DemoCorpusGenerator.CremaManifestFolder),
            Path.Combine(_root, "features"));
        var planned = new PlannedPretraining("energy-variation", ["energy-variation"], 1);
        var windowed = AblationRunner.PretrainingConfig(planned, ablation, AblationProfile.Tiny with { PretrainWindowing = ShardWindowing.Windows });
        var whole = AblationRunner.PretrainingConfig(planned, ablation, AblationProfile.Tiny);
        Assert.Contains("\"windowing\": \"windows\"", windowed.CanonicalJson());
        Assert.DoesNotContain("windowing", whole.CanonicalJson());

        var windowedLabels = AblationLabels.Ensure(_root, ["energy-variation"], windowed, null, PretextTaskRegistry.CreateDefault(), null, CancellationToken.None);
        var wholeLabels = AblationLabels.Ensure(_root, ["energy-variation"], whole, null, PretextTaskRegistry.CreateDefault(), null, CancellationToken.None);
        Assert.NotEqual(windowedLabels, wholeLabels);
        var windowedResult = TrainingRun.Run(windowed, Path.Combine(_root, "windowed"), new PretextLabelSetDirectory(windowedLabels));
        var wholeResult = TrainingRun.Run(whole, Path.Combine(_root, "whole"), new PretextLabelSetDirectory(wholeLabels));

        var labelled = PretextLabelSetFile.Read(windowedLabels, "energy-variation").ByClip.Keys.ToList();
        Assert.Contains(labelled, id => id.Contains(ClipWindows.WindowSeparator, StringComparison.Ordinal));
        Assert.True(labelled.Count > PretextLabelSetFile.Read(wholeLabels, "energy-variation").ByClip.Count);
        Assert.True(windowedResult.Metrics["dev_objective"] > 0);
        Assert.NotEqual(wholeResult.Metrics["dev_objective"], windowedResult.Metrics["dev_objective"]);
        // Normalisation counts every frame of a training clip once, however many windows it has: the same as the whole-clip run.
        Assert.Equal(File.ReadAllText(new RunFolder(Path.Combine(_root, "whole")).NormalizationPath),
            File.ReadAllText(new RunFolder(Path.Combine(_root, "windowed")).NormalizationPath));
        Assert.Throws<ArgumentException>(() => (windowed with { Kind = RunKind.Finetune }).Validate());
    }

    /// <summary>Population standard deviation of frame log-energy over the speech frames of the chunk from <paramref name="firstFrame"/> (NaN under 10 frames), as task 1 defines it.</summary>
    private static double EnergySpread(FeatureSet features, int firstFrame)
    {
        // Original frames only: a clip shorter than one chunk is padded with repeats, which the task does not count.
        var frames = Enumerable.Range(firstFrame, Chunking.ChunkFrames).Where(f => f < features.Frames);
        var speech = frames.Where(f => features.SpeechMask[f]).Select(f => (double)features.LogEnergyDb[f]).ToList();
        if (speech.Count < new EnergyVariationOptions().MinSpeechFrames)
        {
            return double.NaN;
        }
        var mean = speech.Average();
        return Math.Sqrt(Math.Max(0, speech.Sum(e => e * e) / speech.Count - mean * mean));
    }
}
