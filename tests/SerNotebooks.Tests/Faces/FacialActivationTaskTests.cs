using SerNotebooks.Faces;
using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.FacialActivation;

namespace SerNotebooks.Tests.Faces;

public sealed class FacialActivationTaskTests : IDisposable
{
    private readonly string _folder = FaceTestData.NewFolder();
    private readonly FacialActivationTask _task = new();

    [Fact]
    public void StillFaceIsLowAndMovingFaceIsHighAfterFittingOnBoth()
    {
        var still = FaceTestData.Clip("still", FaceTestData.WriteCsv(_folder, "still.csv", FaceTestData.Frames(90, 30, t => 0.2 * Math.Sin(2 * Math.PI * 0.5 * t))));
        var moving = FaceTestData.Clip("moving", FaceTestData.WriteCsv(_folder, "moving.csv", FaceTestData.Frames(90, 30, t => 6 * Math.Sin(2 * Math.PI * 3 * t))));

        var stillMeasure = _task.Measure(still);
        var movingMeasure = _task.Measure(moving);
        var labeller = _task.Fit([stillMeasure, movingMeasure]);

        Assert.Equal(FaceSources.OpenFace, stillMeasure.Source);
        Assert.Equal(3, stillMeasure.ChunkValues!.Length);
        Assert.All(movingMeasure.ChunkValues!, v => Assert.True(v > 10 * stillMeasure.ChunkValues.Max()));
        Assert.Equal([0, 0, 0], labeller.Label(stillMeasure).ChunkLabels!);
        Assert.Equal([1, 1, 1], labeller.Label(movingMeasure).ChunkLabels!);
        var threshold = ((FacialActivationLabeller)labeller).ThresholdFor(FaceSources.OpenFace);
        Assert.InRange(threshold, stillMeasure.ChunkValues.Max(), movingMeasure.ChunkValues!.Min());
    }

    [Fact]
    public void ActivationIsDisplacementOverInterOcularDistanceAlignedToChunksByTimestamp()
    {
        // Mouth and brows (30 of 68 landmarks) move 1.2 px per frame only between 1.0 s and 2.0 s; eyes are 60 px apart.
        var frames = FaceTestData.Frames(90, 30, t => t < 1 ? 0 : t < 2 ? 36 * (t - 1) : 36);
        var clip = FaceTestData.Clip("middle", FaceTestData.WriteCsv(_folder, "middle.csv", frames));

        var values = _task.Measure(clip).ChunkValues!;

        // A pair belongs to the chunk of its later frame: the pair ending at t = 1.000 s has not moved yet, the
        // one ending at t = 2.000 s has, so chunk 1 holds 29 moving pairs of 30 and chunk 2 holds 1.
        const double perPair = 30 * 1.2 / 68 / 60;
        Assert.Equal(0, values[0], 1e-9);
        Assert.Equal(29.0 / 30 * perPair, values[1], 0.0003);
        Assert.Equal(1.0 / 30 * perPair, values[2], 0.00003);
        var curve = _task.Analyse(clip).Curve!;
        Assert.Equal(89, curve.Values.Length);
        Assert.Equal(frames[1].Timestamp, curve.Times[0], 2);
    }

    [Fact]
    public void FailedAndLowConfidenceFramesAndPairsAcrossThemAreDropped()
    {
        var frames = FaceTestData.Frames(90, 30, t => 0);
        frames[40] = frames[40] with { Success = false };        // landmarks written as zeros, like OpenFace
        frames[60] = frames[60] with { Confidence = 0.3 };
        var clip = FaceTestData.Clip("failures", FaceTestData.WriteCsv(_folder, "failures.csv", frames));

        var analysis = _task.Analyse(clip);

        Assert.Equal(88, analysis.Curve!.UsableFrames);
        Assert.Equal(85, analysis.Curve.Values.Length);          // 89 pairs minus 2 around each dropped frame
        Assert.All(analysis.Curve.Values, v => Assert.Equal(0, v, 6));
    }

    [Fact]
    public void MissingCsvWithoutVideoIsSkippedNamingTheFile()
    {
        var missing = Path.Combine(_folder, "gone.csv");
        var measurement = _task.Measure(FaceTestData.Clip("gone", missing));
        Assert.False(measurement.IsUsable);
        Assert.Equal($"{missing}: OpenFace CSV not found", measurement.SkipReason);
        Assert.Contains("no OpenFace CSV and no video", _task.Measure(FaceTestData.Clip("none", null)).SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFrameFailedIsSkippedWithCounts()
    {
        var frames = FaceTestData.Frames(30, 30, t => 0).Select((f, i) => i % 2 == 0 ? f with { Success = false } : f with { Confidence = 0.5 });
        var path = FaceTestData.WriteCsv(_folder, "failed.csv", frames);
        var reason = _task.Measure(FaceTestData.Clip("failed", path)).SkipReason;
        Assert.Equal($"{path}: every frame failed: 15 of 30 with success = 0, 15 more with confidence < 0.8", reason);
    }

    [Fact]
    public void NaNLandmarksEverywhereAreSkippedWithTheFirstBadLine()
    {
        var text = FaceTestData.CsvText(FaceTestData.Frames(30, 30, t => 0));
        var lines = text.TrimEnd('\n').Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(", ");
            fields[11] = "nan";                                 // x_0
            lines[i] = string.Join(", ", fields);
        }
        var path = Path.Combine(_folder, "nan.csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        var reason = _task.Measure(FaceTestData.Clip("nan", path)).SkipReason!;

        Assert.StartsWith($"{path}: no readable frame in 30 row(s): 30 NotANumber", reason, StringComparison.Ordinal);
        Assert.Contains("line 2 (frame 1): 'x_0' is not a finite number ('nan')", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameRateOtherThan30IsSkippedUnlessAnyRateIsAccepted()
    {
        var moving = new Func<double, double>(t => 6 * Math.Sin(2 * Math.PI * 2 * t));
        var at25 = FaceTestData.WriteCsv(_folder, "25fps.csv", FaceTestData.Frames(75, 25, moving));
        Assert.Equal($"{at25}: frame rate 25 fps (estimated from timestamps), expected 30 fps", _task.Measure(FaceTestData.Clip("25", at25)).SkipReason);

        // Rescaled to one 1/30 s interval, the same motion filmed at 60 fps gives the 30 fps activation.
        var anyRate = new FacialActivationTask(new FacialActivationOptions { AcceptAnyFrameRate = true });
        var at60 = anyRate.Measure(FaceTestData.Clip("60", FaceTestData.WriteCsv(_folder, "60fps.csv", FaceTestData.Frames(180, 60, moving)))).ChunkValues!;
        var at30 = anyRate.Measure(FaceTestData.Clip("30", FaceTestData.WriteCsv(_folder, "30fps.csv", FaceTestData.Frames(90, 30, moving)))).ChunkValues!;
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(at30[k], at60[k], 0.05 * at30[k]);
        }
    }

    [Fact]
    public void ChunksWithTooFewFramesHaveNoLabel()
    {
        var frames = FaceTestData.Frames(90, 30, t => 3 * Math.Sin(9 * t)).Where(f => f.Timestamp < 1.1 || f.Timestamp >= 2.0).ToList();
        var clip = FaceTestData.Clip("hole", FaceTestData.WriteCsv(_folder, "hole.csv", frames));
        var measurement = _task.Measure(clip);
        Assert.True(double.IsNaN(measurement.ChunkValues![1]));
        var labels = _task.Fit([measurement]).Label(measurement);
        Assert.Equal(ClipTaskLabels.MissingLabel, labels.ChunkLabels![1]);
    }

    [Fact]
    public void LabellerStateRoundTripsThroughJson()
    {
        var a = new TaskMeasurement("a", "s", [0.1, 0.3], null, FaceSources.OpenFace, null);
        var b = new TaskMeasurement("b", "s", [0.2, 0.4], null, FaceSources.VideoFlow, null);
        var fitted = (FacialActivationLabeller)_task.Fit([a, b]);
        var restored = FacialActivationLabeller.FromStateJson(fitted.StateJson);
        Assert.Equal(0.2, restored.ThresholdFor(FaceSources.OpenFace), 9);
        Assert.Equal(0.3, restored.ThresholdFor(FaceSources.VideoFlow), 9);
        Assert.Equal([0, 1], restored.Label(a).ChunkLabels!);
        var lbf = new TaskMeasurement("c", "s", [0.5], null, FaceSources.VideoLbf, null);
        Assert.Contains("no training clip came from source 'video-lbf'", restored.Label(lbf).SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void FitWithoutAnyUsableTrainingClipSaysSo()
    {
        var skipped = TaskMeasurement.Skipped("x", "s", FaceSources.OpenFace, "x.csv: OpenFace CSV not found");
        Assert.Contains("none of the 1 training clips", Assert.Throws<InvalidOperationException>(() => _task.Fit([skipped])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegistryHasBothFaceTasks()
    {
        var registry = PretextTaskRegistry.CreateDefault();
        Assert.Equal(LabelGranularity.Chunk, registry.Get("facial-activation").Granularity);
        Assert.Equal(["low", "high"], registry.Get("facial-activation").Classes);
        Assert.Equal(LabelGranularity.Utterance, registry.Get("au-emotion").Granularity);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
