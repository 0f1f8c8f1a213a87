using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class PredictionsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sernb-predictions-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly string[] Emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    [Fact]
    public void WriteThenReadKeepsEveryRowAndRecomputesTheSameMetrics()
    {
        var probabilities = new IReadOnlyList<double>[]
        {
            [0.7, 0.1, 0.05, 0.05, 0.05, 0.05],
            [0.1, 0.2, 0.1, 0.1, 0.4, 0.1],
            [1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0, 0],
        };
        var set = PredictionSet.FromIndices(Emotions, ["1001_DFA_ANG_XX", "1001_DFA_DIS_XX", "1002_IEO_FEA_HI"], [0, 1, 2], [0, 4, 0], probabilities);
        var path = Path.Combine(_directory, "predictions.csv");

        PredictionsFile.Write(path, set);
        var read = PredictionsFile.Read(path);

        Assert.Equal(Emotions, read.ClassNames);
        Assert.Equal("id,true_label,predicted_label,prob_anger,prob_disgust,prob_fear,prob_happiness,prob_neutral,prob_sadness",
            File.ReadLines(path).First());
        Assert.Equal(set.Predictions.Select(p => (p.Id, p.TrueLabel, p.PredictedLabel)), read.Predictions.Select(p => (p.Id, p.TrueLabel, p.PredictedLabel)));
        Assert.Equal(1.0 / 3, read.Predictions[2].Probabilities[0]); // round-trip precision
        var original = ClassificationReport.FromPredictions(set);
        var recomputed = ClassificationReport.FromPredictions(read);
        Assert.Equal(original.Macro, recomputed.Macro);
        // Three classes were never predicted; the label set from the prob_ columns keeps them in the average.
        Assert.Equal(["disgust", "fear", "happiness", "sadness"], recomputed.UndefinedPrecisionClasses);
        Assert.Equal(0.5 / 6, recomputed.Macro.Precision, 12);
    }

    [Fact]
    public void PerceivedReferencesRoundTripAndScoreOnlyTheClipsThatHaveOne()
    {
        var path = Path.Combine(_directory, "hand.csv");
        File.WriteAllText(path, """
            id,true_label,predicted_label,prob_pos,prob_neg,perceived_voice
            a,pos,pos,0.9,0.1,neg
            b,neg,neg,0.4,0.6,neg
            c,neg,pos,0.6,0.4,

            """);

        var set = PredictionsFile.Read(path);
        var rewritten = Path.Combine(_directory, "rewritten.csv");
        PredictionsFile.Write(rewritten, set);

        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n").TrimEnd(), File.ReadAllText(rewritten).Replace("\r\n", "\n").TrimEnd());
        Assert.Equal(["perceived_voice"], set.ReferenceNames);
        Assert.Equal(2 / 3.0, ClassificationReport.FromPredictions(set).Accuracy, 12); // intended: a and b right
        var perceived = set.Against("perceived_voice");
        Assert.Equal(["a", "b"], perceived.Predictions.Select(p => p.Id)); // c has no single perceived label
        Assert.Equal(0.5, ClassificationReport.FromPredictions(perceived).Accuracy, 12); // a was heard as neg

        File.AppendAllText(path, "d,pos,pos,0.5,0.5,calm\n");
        var error = Assert.Throws<EvaluationFormatException>(() => PredictionsFile.Read(path));
        Assert.Contains("perceived_voice 'calm' is not in the label set", error.Message);
        Assert.Contains(":5", error.Message);
    }

    [Fact]
    public void ReadsAHandWrittenFileWithQuotedIds()
    {
        var path = Path.Combine(_directory, "hand.csv");
        File.WriteAllText(path, """
            id,true_label,predicted_label,prob_pos,prob_neg
            "clip, one",pos,pos,0.9,0.1
            clip2,neg,pos,0.6,0.4

            """);

        var set = PredictionsFile.Read(path);

        Assert.Equal(["pos", "neg"], set.ClassNames);
        Assert.Equal("clip, one", set.Predictions[0].Id);
        Assert.Equal([0, 0], set.PredictedLabelIndices());
        Assert.Equal([0, 1], set.TrueLabelIndices());
    }

    [Fact]
    public void FileWithoutProbabilitiesNeedsExplicitClassNames()
    {
        var path = Path.Combine(_directory, "labels-only.csv");
        File.WriteAllText(path, "id,true_label,predicted_label\nu1,a,b\nu2,b,b\n");

        var error = Assert.Throws<EvaluationFormatException>(() => PredictionsFile.Read(path));
        Assert.Contains("pass the class names", error.Message);

        var set = PredictionsFile.Read(path, ["a", "b", "c"]);
        Assert.Equal(3, set.ClassNames.Count);
        Assert.Equal(["a", "c"], ClassificationReport.FromPredictions(set).UndefinedPrecisionClasses);
    }

    [Theory]
    [InlineData("id,true_label,prob_a\nu1,a,1\n", 1, "'predicted_label' is missing")]
    [InlineData("id,true_label,predicted_label,prob_a,prob_b\nu1,a,a,1,0\nu2,a,z,1,0\n", 3, "predicted_label 'z' is not in the label set")]
    [InlineData("id,true_label,predicted_label,prob_a,prob_b\nu1,a,a,1,0\nu1,b,a,1,0\n", 3, "duplicate id 'u1'")]
    [InlineData("id,true_label,predicted_label,prob_a,prob_b\nu1,a,a,0.5,abc\n", 2, "prob_b 'abc' is not a probability")]
    [InlineData("id,true_label,predicted_label,prob_a,prob_b\nu1,,a,0.5,0.5\n", 2, "column 'true_label' is empty")]
    public void BadRowsNameFileLineAndProblem(string content, int line, string reason)
    {
        var path = Path.Combine(_directory, "bad.csv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<EvaluationFormatException>(() => PredictionsFile.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ExpectedLabelSetMustMatchProbabilityColumns()
    {
        var path = Path.Combine(_directory, "order.csv");
        File.WriteAllText(path, "id,true_label,predicted_label,prob_b,prob_a\nu1,a,a,0.2,0.8\n");

        var error = Assert.Throws<EvaluationFormatException>(() => PredictionsFile.Read(path, ["a", "b"]));
        Assert.Contains("probability columns are for (b, a)", error.Message);
    }
}
