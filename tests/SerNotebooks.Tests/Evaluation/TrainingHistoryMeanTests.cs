using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class TrainingHistoryMeanTests
{
    private static TrainingHistory History(int[] epochs, params (string Name, double[] Values)[] series) =>
        new(epochs, series.ToDictionary(s => s.Name, s => (IReadOnlyList<double>)s.Values));

    [Fact]
    public void EachEpochAveragesTheRunsThatReachedItAndHaveAValue()
    {
        var full = History([1, 2, 3], ("dev_macro_f1", [0.2, 0.4, 0.6]), ("train_loss", [1.0, 0.8, 0.6]));
        var stoppedEarly = History([1, 2], ("dev_macro_f1", [0.4, double.NaN]), ("train_loss", [2.0, 1.2]), ("seconds", [1.0, 1.0]));

        var mean = TrainingHistoryMean.Of([full, stoppedEarly]);

        Assert.Equal([1, 2, 3], mean.Epochs);
        // Only the series every run has, in the first run's order.
        Assert.Equal(["dev_macro_f1", "train_loss"], mean.SeriesNames);
        Assert.Equal([0.3, 0.4, 0.6], mean.Series["dev_macro_f1"].Select(v => Math.Round(v, 12)));
        Assert.Equal([1.5, 1.0, 0.6], mean.Series["train_loss"].Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void AnEpochWithoutAnyValueStaysMissing()
    {
        var mean = TrainingHistoryMean.Of([History([1, 3], ("loss", [1.0, double.NaN])), History([2], ("loss", [0.5]))]);

        Assert.Equal([1, 2, 3], mean.Epochs);
        Assert.Equal(1.0, mean.Series["loss"][0]);
        Assert.Equal(0.5, mean.Series["loss"][1]);
        Assert.True(double.IsNaN(mean.Series["loss"][2]));
    }

    [Fact]
    public void NoRunsIsAnError() =>
        Assert.Throws<ArgumentException>(() => TrainingHistoryMean.Of([]));
}
