using System.Diagnostics;
using System.Text.RegularExpressions;
using SerNotebooks.Ablation;
using SerNotebooks.Ablation.Execution;
using SerNotebooks.Cli.Commands;

namespace SerNotebooks.Tests.Ablation;

/// <summary>The Slurm tests one at a time: on 2 cores a second training process beside the cluster's only slows both.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection
{
    public const string Name = "Slurm";
}

/// <summary>
/// <c>reproduce --executor slurm</c> on a real single-node Slurm cluster trains every run in job arrays, and
/// <c>--collect</c> then writes the tables of one sequential local command, byte for byte, without training anything.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmReproduceTests(SequentialTinyReproduction sequential, SingleNodeSlurm slurm)
    : IClassFixture<SequentialTinyReproduction>, IClassFixture<SingleNodeSlurm>, IDisposable
{
    /// <summary>2 seeds: 14 pre-training + 16 fine-tuning runs.</summary>
    private const int Runs = 30;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-slurm-run-" + Guid.NewGuid().ToString("N"));

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
    public async Task JobArraysTrainEveryRunAndCollectWritesTheSequentialTablesByteForByte()
    {
        var (exit, output) = await Sernb("--executor", "slurm");

        Assert.True(exit == 0, output);
        // "  <job id>  <array>.sh  <n> run(s)  [after <id>_<task>]"
        var arrays = Regex.Matches(output, @"^\s+(\d+)\s+(\S+)\.sh\s+(\d+) run\(s\)(?:\s+after (\d+)_(\d+))?", RegexOptions.Multiline)
            .Select(m => (Id: m.Groups[1].Value, Name: m.Groups[2].Value, Tasks: int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture),
                After: m.Groups[4].Success ? m.Groups[4].Value : null))
            .ToList();
        Assert.True(arrays.Count == 16, output);
        Assert.Equal(Runs, arrays.Sum(a => a.Tasks));
        var pretraining = arrays.Single(a => a.Name == SlurmPlan.PretrainingArray);
        Assert.Equal(14, pretraining.Tasks);
        Assert.Equal(14, arrays.Count(a => a.After == pretraining.Id));
        Assert.Contains("--collect", output);

        await slurm.WaitForJobs(arrays.Select(a => a.Id).ToList(), TimeSpan.FromMinutes(3));

        var logs = Path.Combine(_root, SlurmScriptWriter.FolderName, SlurmScriptWriter.LogsFolderName);
        foreach (var (id, name, tasks, _) in arrays)
        {
            for (var task = 0; task < tasks; task++)
            {
                var log = Path.Combine(logs, $"{name}_{id}_{task}.out");
                Assert.True(File.Exists(log), $"{log}: missing");
                Assert.Contains("sernb: ", File.ReadAllText(log));
            }
        }
        var (collectExit, collected) = ParallelReproduceTests.Invoke(_root, "--collect");
        Assert.True(collectExit == 0, collected);
        Assert.Contains("collect", collected);
        Assert.Contains($"trained 0 run(s), skipped {Runs}", collected);
        Assert.Equal(sequential.Results, File.ReadAllBytes(Path.Combine(_root, AblationRunner.RunsFileName)));
        Assert.Equal(sequential.Summary, File.ReadAllBytes(Path.Combine(_root, AblationRunner.SummaryFileName)));

        // Submitting again once everything has finished submits nothing.
        var (again, againOutput) = ParallelReproduceTests.Invoke(_root, "--executor", "slurm");
        Assert.True(again == 0, againOutput);
        Assert.Contains($"all {Runs} run(s) have finished, nothing to submit", againOutput);
    }

    /// <summary>A real <c>sernb reproduce</c> process on the test cluster.</summary>
    private Task<(int ExitCode, string Output)> Sernb(params string[] extra) =>
        SernbProcess.Start(["reproduce", "--profile", "tiny", "--seeds", "2", "--no-notebooks", "--out", _root, .. extra],
            new Dictionary<string, string> { ["SLURM_CONF"] = slurm.ConfigFile }).Completion;
}
