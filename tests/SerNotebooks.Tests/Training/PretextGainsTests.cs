using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

public sealed class PretextGainsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "sernb-gains-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private (string, IReadOnlyList<string>, string) Run(string combination, int seed, int epochs, params (string Task, double Prior, double DevLoss)[] tasks)
    {
        var folder = new RunFolder(Path.Combine(root, $"{combination}-seed{seed}"));
        Directory.CreateDirectory(folder.Directory);
        var metrics = new Dictionary<string, double> { ["dev_loss"] = tasks.Sum(t => t.DevLoss) };
        foreach (var (task, prior, devLoss) in tasks)
        {
            metrics[$"prior_entropy_{task}"] = prior;
            metrics[$"dev_loss_{task}"] = devLoss;
            metrics[$"dev_info_gain_{task}"] = prior - devLoss;
            metrics[$"dev_accuracy_{task}"] = 0.5;
            metrics[$"dev_balanced_accuracy_{task}"] = 0.5;
        }
        RunFolder.WriteJson(folder.FinalMetricsPath, new TrainingResult(RunKind.Pretrain, epochs, epochs - 1, true, metrics));
        folder.WriteMetrics(["epoch", "seconds"], Enumerable.Range(1, epochs).Select(e => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["epoch"] = e, ["seconds"] = 2 }).ToList());
        return (combination, tasks.Select(t => t.Task).ToArray(), folder.Directory);
    }

    [Fact]
    public void GainsAreMeanOverSeedsAndATaskWithoutGainIsCalledOut()
    {
        var rows = PretextGains.Summarise([
            Run("energy", 1, 5, ("energy", 0.69, 0.50)),
            Run("energy", 2, 7, ("energy", 0.69, 0.40)),
            Run("au", 1, 4, ("au", 1.18, 1.19)),
            Run("energy+au", 1, 6, ("energy", 0.69, 0.45), ("au", 1.18, 1.20)),
        ]);

        var energy = Assert.Single(rows, r => r.Task == "energy" && r.Runs == PretextGains.Alone);
        Assert.Equal(2, energy.Seeds);
        Assert.Equal(0.69 - 0.45, energy.InformationGain, 10);
        Assert.Equal(6, energy.Epochs);
        Assert.Equal(12, energy.Seconds, 10);
        Assert.Single(rows, r => r.Task == "au" && r.Runs == "energy+au");

        var verdicts = PretextGains.Verdicts(rows);
        Assert.StartsWith("au: NO GAIN", verdicts[0]);
        Assert.Contains("gain -0.010 nats", verdicts[0]);
        Assert.DoesNotContain("class-weighted", verdicts[0]);
        Assert.StartsWith("energy: learned", verdicts[1]);
    }
}
