using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.AuEmotion;

namespace SerNotebooks.Tests.Faces;

public sealed class AuEmotionTaskTests : IDisposable
{
    private readonly string _folder = FaceTestData.NewFolder();
    private readonly AuEmotionTask _task = new();

    private PretextClip ClipWith(string name, params (int Frames, Dictionary<int, double> Aus)[] segments)
    {
        var frames = new List<TestFrame>();
        foreach (var (count, aus) in segments)
        {
            foreach (var frame in FaceTestData.Frames(count, 30, t => 0, aus))
            {
                frames.Add(frame with { Timestamp = frames.Count / 30.0 });
            }
        }
        return FaceTestData.Clip(name, FaceTestData.WriteCsv(_folder, name + ".csv", frames));
    }

    private string LabelOf(PretextClip clip) => _task.Analyse(clip).Label!;

    [Fact]
    public void OnlyAu06AndAu12FiringIsHappiness()
    {
        var clip = ClipWith("happy", (60, new() { [6] = 2.1, [12] = 3.0 }), (30, new()));
        var analysis = _task.Analyse(clip);
        Assert.Equal("happiness", analysis.Label);
        Assert.Equal(60 / 90.0, analysis.Shares["happiness"], 9);
        var measurement = _task.Measure(clip);
        var labels = _task.Fit([measurement]).Label(measurement);
        Assert.Equal(_task.Classes.ToList().IndexOf("happiness"), labels.UtteranceLabel);
        Assert.Null(labels.ChunkLabels);
    }

    [Fact]
    public void NoPrototypeIsNeutral()
    {
        // AU06 without AU12, and AU01+AU04 without AU15: parts of prototypes, never a whole one.
        Assert.Equal("neutral", LabelOf(ClipWith("parts", (45, new() { [6] = 2 }), (45, new() { [1] = 2, [4] = 2 }))));
        Assert.Equal("neutral", LabelOf(ClipWith("blank", (90, new()))));
    }

    [Fact]
    public void PrototypeBelowTheMinimumShareIsNeutral()
    {
        Assert.Equal("neutral", LabelOf(ClipWith("flicker", (9, new() { [6] = 2, [12] = 2 }), (81, new()))));
        Assert.Equal("happiness", LabelOf(ClipWith("held", (18, new() { [6] = 2, [12] = 2 }), (72, new()))));
    }

    [Fact]
    public void LargestShareWinsAndTiesGoToTheEarlierTableRow()
    {
        var sad = new Dictionary<int, double> { [1] = 2, [4] = 2, [15] = 2 };
        var happy = new Dictionary<int, double> { [6] = 2, [12] = 2 };
        Assert.Equal("sadness", LabelOf(ClipWith("mostly-sad", (30, happy), (40, sad), (20, new()))));
        Assert.Equal("happiness", LabelOf(ClipWith("tie", (40, sad), (40, happy), (10, new()))));
    }

    [Fact]
    public void FearFramesDoNotAlsoCountAsSurprise()
    {
        var fear = new Dictionary<int, double> { [1] = 2, [2] = 2, [4] = 2, [5] = 2, [7] = 2, [20] = 2, [26] = 2 };
        var analysis = _task.Analyse(ClipWith("fear", (60, fear), (30, new())));
        Assert.Equal("fear", analysis.Label);
        Assert.Equal(0, analysis.Shares["surprise"]);
        var overlapping = new AuEmotionTask(new AuEmotionOptions { PreferSpecificPrototype = false });
        var plain = overlapping.Analyse(ClipWith("fear-plain", (60, fear), (30, new())));
        Assert.Equal("surprise", plain.Label);                    // equal shares: surprise is listed first
    }

    [Fact]
    public void IntensityModeUsesTheThreshold()
    {
        var weak = ClipWith("weak", (90, new() { [6] = 0.6, [12] = 0.8 }));
        var byIntensity = new AuEmotionTask(new AuEmotionOptions { PresenceMode = AuPresenceMode.IntensityThreshold, IntensityThreshold = 0.5 });
        Assert.Equal("happiness", byIntensity.Analyse(weak).Label);
        Assert.Equal("neutral", _task.Analyse(weak).Label);       // presence columns say 0 below intensity 1 in this data
    }

    [Fact]
    public void ExposesTheIntensityMatrixAndClassBalance()
    {
        var clip = ClipWith("matrix", (10, new() { [6] = 2.5, [12] = 1.5 }), (5, new()));
        var matrix = _task.Analyse(clip).IntensityMatrix!;
        Assert.Equal(15, matrix.Times.Length);
        Assert.Equal(17, matrix.ActionUnits.Count);
        var au06 = matrix.ActionUnits.ToList().IndexOf("AU06");
        Assert.Equal(2.5, matrix.Values[0, au06]);
        Assert.Equal(0, matrix.Values[14, au06]);
        Assert.Equal(2.5, matrix.ByActionUnit()[au06][0]);

        var labeller = _task.Fit([]);
        var measurements = new[]
        {
            _task.Measure(clip),
            _task.Measure(ClipWith("n", (30, new()))),
            _task.Measure(ClipWith("h", (30, new() { [6] = 2, [12] = 2 }))),
        };
        var balance = LabelBalance.Of(measurements.Select(labeller.Label), _task.Classes);
        Assert.Equal(2, balance.Single(c => c.Class == "happiness").Count);
        Assert.Equal(1, balance.Single(c => c.Class == "neutral").Count);
        Assert.Equal(1.0, balance.Sum(c => c.Share), 9);
    }

    [Fact]
    public void BadFaceDataIsSkippedForThisTaskWithAReason()
    {
        Assert.Contains("no OpenFace CSV", _task.Measure(FaceTestData.Clip("none", null)).SkipReason, StringComparison.Ordinal);
        var missing = Path.Combine(_folder, "absent.csv");
        Assert.Equal($"{missing}: OpenFace CSV not found", _task.Measure(FaceTestData.Clip("absent", missing)).SkipReason);
        var landmarksOnly = Path.Combine(_folder, "landmarks-only.csv");
        File.WriteAllText(landmarksOnly, "frame, timestamp, success, confidence, x_0\n1, 0.000, 1, 0.9, 10.0\n");
        var reason = _task.Measure(FaceTestData.Clip("lm", landmarksOnly)).SkipReason!;
        Assert.StartsWith($"{landmarksOnly}: missing columns AU01_c", reason, StringComparison.Ordinal);
        var at25 = FaceTestData.WriteCsv(_folder, "25.csv", FaceTestData.Frames(50, 25, t => 0));
        Assert.Contains("frame rate 25 fps", _task.Measure(FaceTestData.Clip("25", at25)).SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void LabellerStateCarriesTheRulesHashAndOptions()
    {
        var labeller = (AuEmotionLabeller)_task.Fit([]);
        Assert.Equal(_task.Table.RulesHash, labeller.State.RulesSha256);
        Assert.Contains("\"minimumShare\": 0.2", labeller.StateJson, StringComparison.Ordinal);
        Assert.Equal(labeller.State, AuEmotionLabeller.FromStateJson(labeller.StateJson).State with { Classes = labeller.State.Classes });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
