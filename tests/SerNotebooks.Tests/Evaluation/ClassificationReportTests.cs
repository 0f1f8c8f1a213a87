using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public class ClassificationReportTests
{
    // Hand-computed: 4 classes; "c" is never predicted, "d" never occurs in the truth.
    //   truth: a a a b b c c      pred: a a b b d a b
    private static readonly string[] Classes = ["a", "b", "c", "d"];
    private static readonly int[] Truth = [0, 0, 0, 1, 1, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 3, 0, 1];

    [Fact]
    public void ConfusionMatrixCountsTruePredictedPairs()
    {
        var confusion = ConfusionMatrix.Build(Truth, Predicted, Classes);

        long[][] expected =
        [
            [2, 1, 0, 0],
            [0, 1, 0, 1],
            [1, 1, 0, 0],
            [0, 0, 0, 0],
        ];
        Assert.Equal(expected, confusion.ToRows());
        Assert.Equal(7, confusion.Total);
        Assert.Equal(3, confusion.Correct);
        Assert.Equal([3L, 2, 2, 0], Enumerable.Range(0, 4).Select(confusion.Support));
        Assert.Equal([3L, 3, 0, 1], Enumerable.Range(0, 4).Select(confusion.PredictedCount));
    }

    [Fact]
    public void RowNormalisedRowsSumToOneAndAbsentClassRowIsZero()
    {
        var rows = ConfusionMatrix.Build(Truth, Predicted, Classes).ToRowNormalised();

        Assert.Equal(2.0 / 3, rows[0][0], 12);
        Assert.Equal(0.5, rows[1][3], 12);
        Assert.All(rows.Take(3), row => Assert.Equal(1.0, row.Sum(), 12));
        Assert.All(rows[3], v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void PerClassScoresFollowSklearnZeroDivisionConvention()
    {
        var report = ClassificationReport.Compute(Truth, Predicted, Classes);

        Assert.Equal(2.0 / 3, report["a"].Precision, 12);
        Assert.Equal(2.0 / 3, report["a"].Recall, 12);
        Assert.Equal(1.0 / 3, report["b"].Precision, 12);
        Assert.Equal(0.5, report["b"].Recall, 12);
        Assert.Equal(0.4, report["b"].F1, 12);
        // Never predicted: precision 0/0 reported as 0.
        Assert.Equal(0.0, report["c"].Precision);
        Assert.True(report["c"].PrecisionUndefined);
        Assert.Equal(2, report["c"].Support);
        // Absent from the truth but predicted once: precision 0/1, recall 0/0 reported as 0.
        Assert.Equal(0.0, report["d"].Precision);
        Assert.False(report["d"].PrecisionUndefined);
        Assert.True(report["d"].RecallUndefined);
        Assert.Equal(0, report["d"].Support);
    }

    [Fact]
    public void MacroAveragesEveryClassOfTheLabelSetIncludingUndefinedOnes()
    {
        var report = ClassificationReport.Compute(Truth, Predicted, Classes);

        Assert.Equal(0.25, report.Macro.Precision, 12);
        Assert.Equal(7.0 / 24, report.Macro.Recall, 12);
        Assert.Equal(4.0 / 15, report.Macro.F1, 12);
        Assert.Equal(["c"], report.UndefinedPrecisionClasses);
        Assert.Equal(["d"], report.UndefinedRecallClasses);
    }

    [Fact]
    public void AccuracyMicroAndWeightedAverages()
    {
        var report = ClassificationReport.Compute(Truth, Predicted, Classes);

        Assert.Equal(3.0 / 7, report.Accuracy, 12);
        Assert.Equal(3.0 / 7, report.Micro.Precision, 12);
        Assert.Equal(3.0 / 7, report.Micro.Recall, 12);
        Assert.Equal(3.0 / 7, report.Micro.F1, 12);
        Assert.Equal(8.0 / 21, report.Weighted.Precision, 12);
        Assert.Equal(3.0 / 7, report.Weighted.Recall, 12);
        Assert.Equal(0.4, report.Weighted.F1, 12);
    }

    [Fact]
    public void MacroF1IsMeanOfPerClassF1NotF1OfMacroPrecisionAndRecall()
    {
        // a: P=1/2 R=1 F1=2/3; b: P=1 R=1/2 F1=2/3 → macro F1 2/3, while F1(macro P, macro R) = 3/4.
        var report = ClassificationReport.Compute([0, 1, 1], [0, 0, 1], ["a", "b"]);

        Assert.Equal(0.75, report.Macro.Precision, 12);
        Assert.Equal(0.75, report.Macro.Recall, 12);
        Assert.Equal(2.0 / 3, report.Macro.F1, 12);
        Assert.Empty(report.UndefinedPrecisionClasses);
    }

    [Fact]
    public void PerfectPredictionsScoreOne()
    {
        var report = ClassificationReport.Compute([0, 1, 2, 2], [0, 1, 2, 2], ["x", "y", "z"]);

        Assert.Equal(new AveragedScores(1, 1, 1), report.Macro);
        Assert.Equal(1, report.Accuracy);
    }

    [Fact]
    public void LabelOutsideTheLabelSetIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationReport.Compute([0, 3], [0, 1], ["a", "b"]));
        Assert.Contains("true label #1 is 3", error.Message);
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 1], [0], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0], [0], ["a", "a"]));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([], [], ["a"]));
    }

    [Fact]
    public void AMatrixFromTalliedCountsIsTheMatrixOfThoseLabels()
    {
        int[] truth = [0, 0, 1, 2, 2, 2];
        int[] predicted = [0, 1, 1, 2, 0, 2];
        var built = ConfusionMatrix.Build(truth, predicted, ["a", "b", "c"]);
        var counts = new long[3, 3];
        for (var i = 0; i < truth.Length; i++)
        {
            counts[truth[i], predicted[i]]++;
        }

        var fromCounts = ConfusionMatrix.FromCounts(["a", "b", "c"], counts);
        counts[0, 0] = 99; // copied, not kept

        Assert.Equal(built.ToRows(), fromCounts.ToRows());
        Assert.Equal(built.Total, fromCounts.Total);
        Assert.Equal(ClassificationReport.FromConfusion(built).Macro, ClassificationReport.FromConfusion(fromCounts).Macro);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts(["a", "b"], new long[3, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.FromCounts(["a"], new long[,] { { -1 } }));
    }
}
