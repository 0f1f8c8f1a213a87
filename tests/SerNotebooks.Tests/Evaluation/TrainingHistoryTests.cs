using SerNotebooks.Evaluation;

namespace SerNotebooks.Tests.Evaluation;

public sealed class TrainingHistoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sernb-history-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadsNumericColumnsAsSeriesAndSkipsTextColumns()
    {
        var path = Path.Combine(_directory, "epochs.csv");
        File.WriteAllText(path, "epoch,train_loss,dev_macro_f1,finished_at\n1,1.25,,2026-11-25T16:00:00Z\n2,0.5,0.41,2026-11-25T16:01:00Z\n");

        var history = TrainingHistory.ReadCsv(path);

        Assert.Equal([1, 2], history.Epochs);
        Assert.Equal(["train_loss", "dev_macro_f1"], history.SeriesNames);
        Assert.Equal([1.25, 0.5], history.Series["train_loss"]);
        Assert.True(double.IsNaN(history.Series["dev_macro_f1"][0]));
        Assert.Equal(["finished_at"], history.IgnoredColumns);
    }

    [Theory]
    [InlineData("loss\n1\n", 1, "'epoch' is missing")]
    [InlineData("epoch,loss\n1,0.5\nx,0.4\n", 3, "epoch 'x' is not an integer")]
    [InlineData("epoch,loss\n2,0.5\n2,0.4\n", 3, "epochs must increase")]
    public void BadFilesNameLineAndProblem(string content, int line, string reason)
    {
        var path = Path.Combine(_directory, "bad.csv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<EvaluationFormatException>(() => TrainingHistory.ReadCsv(path));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message);
    }
}
