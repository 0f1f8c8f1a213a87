using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;

namespace SerNotebooks.Tests.Pretext;

public class EnergyVariationTaskTests
{
    [Fact]
    public void ConstantEnergyAudioIsLowAndModulatedAudioIsHigh_WithAThresholdFittedOnTheMix()
    {
        var task = new EnergyVariationTask();
        var steady = new[] { 3.0, 4.5 }.Select((s, i) => PretextTestClips.Clip($"steady{i}", "a", PretextTestClips.ConstantTone(s))).ToList();
        var lively = new[] { 3.5, 5.0 }.Select((s, i) => PretextTestClips.Clip($"lively{i}", "a", PretextTestClips.ModulatedTone(s))).ToList();
        var measurements = steady.Concat(lively).Select(task.Measure).ToList();

        var labeller = (EnergyVariationLabeller)task.Fit(measurements);

        foreach (var m in measurements.Take(2))
        {
            var labels = labeller.Label(m);
            Assert.Null(labels.SkipReason);
            Assert.All(labels.ChunkLabels!, l => Assert.Equal(0, l));
            // A constant-amplitude tone has (almost) no frame-to-frame energy change.
            Assert.All(m.ChunkValues!, v => Assert.InRange(v, 0, 0.5));
        }
        foreach (var m in measurements.Skip(2))
        {
            Assert.All(labeller.Label(m).ChunkLabels!, l => Assert.Equal(1, l));
            // ±13 dB log-domain sine: std ≈ 26/(2√2) ≈ 9.2 dB over whole periods.
            Assert.All(m.ChunkValues!, v => Assert.InRange(v, 6, 12));
        }
        Assert.InRange(labeller.Threshold, 0.5, 6);
        Assert.Equal(["low", "high"], task.Classes);
        Assert.Equal(LabelGranularity.Chunk, task.Granularity);
    }

    [Fact]
    public void ChunkValueIsThePopulationStdOfOriginalSpeechFramesOnly()
    {
        // 5 chunks of 10 frames over 30 frames: step 5, so chunk k covers frames [5k, 5k + 10).
        var chunking = new ChunkingConfig { ChunkFrames = 10, ChunkCount = 5 };
        var energy = Enumerable.Range(0, 30).Select(t => (float)(t % 2 == 0 ? -20 : -30)).ToArray();
        var speech = Enumerable.Range(0, 30).Select(t => t is < 5 or >= 8).ToArray();
        var clip = PretextTestClips.ClipWithEnergy("c", "s", energy, speech, chunking);

        var m = new EnergyVariationTask(new EnergyVariationOptions { MinSpeechFrames = 4 }).Measure(clip);

        // Chunk 0: frames 0-9, speech 0-4 and 8-9 → energies -20,-30,-20,-30,-20,-20,-30 (four -20, three -30).
        var expected0 = PopulationStd([-20, -30, -20, -30, -20, -20, -30]);
        Assert.Equal(expected0, m.ChunkValues![0], 6);
        // Chunk 1: frames 5-14, speech 8-14 → 7 frames alternating starting at frame 8 (-20).
        Assert.Equal(PopulationStd([-20, -30, -20, -30, -20, -30, -20]), m.ChunkValues[1], 6);
        Assert.Equal(5.0, m.ChunkValues[4], 6);
    }

    [Fact]
    public void PaddedShortUtteranceUsesEachOriginalFrameOnce()
    {
        // 7 frames < one 10-frame chunk: the chunk repeats frames, but the statistic must see each once.
        var chunking = new ChunkingConfig { ChunkFrames = 10, ChunkCount = 3 };
        float[] energy = [-10, -20, -10, -20, -10, -20, -40];
        var clip = PretextTestClips.ClipWithEnergy("short", "s", energy, Enumerable.Repeat(true, 7).ToArray(), chunking);

        var m = new EnergyVariationTask(new EnergyVariationOptions { MinSpeechFrames = 2 }).Measure(clip);

        Assert.All(m.ChunkValues!, v => Assert.Equal(PopulationStd([-10, -20, -10, -20, -10, -20, -40]), v, 6));
    }

    [Fact]
    public void ChunksWithTooLittleSpeechAreUnlabelledAndSilentClipsAreSkipped()
    {
        var chunking = new ChunkingConfig { ChunkFrames = 10, ChunkCount = 2 };
        var energy = Enumerable.Range(0, 20).Select(t => (float)(t % 3 * -5)).ToArray();
        // First chunk (frames 0-9): 3 speech frames; second (10-19): 10.
        var speech = Enumerable.Range(0, 20).Select(t => t >= 7).ToArray();
        var task = new EnergyVariationTask(new EnergyVariationOptions { MinSpeechFrames = 5 });

        var m = task.Measure(PretextTestClips.ClipWithEnergy("c", "s", energy, speech, chunking));
        Assert.True(double.IsNaN(m.ChunkValues![0]));
        Assert.False(double.IsNaN(m.ChunkValues[1]));
        var labels = task.Fit([m]).Label(m);
        Assert.Equal(ClipTaskLabels.MissingLabel, labels.ChunkLabels![0]);
        Assert.NotEqual(ClipTaskLabels.MissingLabel, labels.ChunkLabels[1]);

        var silent = task.Measure(PretextTestClips.ClipWithEnergy("quiet", "s", energy, new bool[20], chunking));
        Assert.False(silent.IsUsable);
        Assert.Contains("no speech", silent.SkipReason);
    }

    [Fact]
    public void FitWithoutUsableChunksFailsWithAClearMessage()
    {
        var task = new EnergyVariationTask();
        var error = Assert.Throws<InvalidOperationException>(() => task.Fit([PretextTestClips.Measurement("a", "s", double.NaN, double.NaN)]));
        Assert.Contains("energy-variation", error.Message);
    }

    [Fact]
    public void PerSpeakerNormalisationThresholdsEachSpeakerAgainstItsOwnStatistics()
    {
        // Speaker "lively" varies 9-12 dB, speaker "calm" 2-5 dB: globally every lively chunk is high and every
        // calm chunk low; per speaker, each speaker's upper chunks are high.
        var measurements = new List<TaskMeasurement>
        {
            PretextTestClips.Measurement("l1", "lively", 9, 10, 11, 12),
            PretextTestClips.Measurement("l2", "lively", 9.5, 11.5),
            PretextTestClips.Measurement("c1", "calm", 2, 3, 4, 5),
            PretextTestClips.Measurement("c2", "calm", 2.5, 4.5),
        };
        var global = new EnergyVariationTask().Fit(measurements);
        Assert.Equal([1, 1, 1, 1], global.Label(measurements[0]).ChunkLabels!);
        Assert.Equal([0, 0, 0, 0], global.Label(measurements[2]).ChunkLabels!);

        var perSpeaker = (EnergyVariationLabeller)new EnergyVariationTask(new EnergyVariationOptions { PerSpeakerNormalisation = true }).Fit(measurements);
        Assert.Equal([0, 0, 1, 1], perSpeaker.Label(measurements[0]).ChunkLabels!);
        Assert.Equal([0, 0, 1, 1], perSpeaker.Label(measurements[2]).ChunkLabels!);
        Assert.Equal(10.5, perSpeaker.State.Speakers["lively"].Mean, 9);
        Assert.Equal(3.5, perSpeaker.State.Speakers["calm"].Mean, 9);

        // A speaker outside the fit set has no statistics until the labeller adapts to its own measurements,
        // which must not move the threshold or the fitted speakers' statistics.
        var newcomer = PretextTestClips.Measurement("n1", "newcomer", 20, 21, 22, 23);
        Assert.NotNull(perSpeaker.Label(newcomer).SkipReason);
        var adapted = (EnergyVariationLabeller)perSpeaker.AdaptTo([.. measurements, newcomer]);
        Assert.Equal([0, 0, 1, 1], adapted.Label(newcomer).ChunkLabels!);
        Assert.Equal(perSpeaker.Threshold, adapted.Threshold);
        Assert.Equal(perSpeaker.State.Speakers["lively"], adapted.State.Speakers["lively"]);
    }

    [Fact]
    public void LabellerStateRoundTripsThroughJson()
    {
        var measurements = new List<TaskMeasurement>
        {
            PretextTestClips.Measurement("a", "s1", 1, 4, double.NaN, 7),
            PretextTestClips.Measurement("b", "s2", 2, 8, 3),
        };
        var labeller = new EnergyVariationTask(new EnergyVariationOptions { PerSpeakerNormalisation = true }).Fit(measurements);

        var restored = EnergyVariationLabeller.FromStateJson(labeller.StateJson);

        Assert.Equal(labeller.StateJson, restored.StateJson);
        foreach (var m in measurements)
        {
            Assert.Equal(labeller.Label(m).ChunkLabels!, restored.Label(m).ChunkLabels!);
        }
        Assert.Throws<FormatException>(() => EnergyVariationLabeller.FromStateJson("{\"task\":\"other\",\"threshold\":1,\"trainingChunks\":1,\"minSpeechFrames\":2,\"perSpeakerNormalisation\":false}"));
    }

    private static double PopulationStd(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
