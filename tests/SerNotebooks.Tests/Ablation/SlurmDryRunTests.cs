using SerNotebooks.Ablation.Execution;

namespace SerNotebooks.Tests.Ablation;

/// <summary><c>reproduce --executor slurm --dry-run</c> writes readable scripts and the sbatch commands without any Slurm.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmDryRunTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-slurm-dry-" + Guid.NewGuid().ToString("N"));

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

    private string Slurm(string file) => Path.Combine(_root, SlurmScriptWriter.FolderName, file);

    [Fact]
    public void DryRunWritesOneArrayPerStageWithDependenciesOnThePretrainingTasks()
    {
        var (exit, output) = ParallelReproduceTests.Invoke(_root, "--executor", "slurm", "--dry-run", "--sbatch-args=--partition=debug --comment 'two words'");

        Assert.True(exit == 0, output);
        Assert.Contains("dry run, nothing submitted", output);
        Assert.Contains("30 run(s) in 16 job array(s)", output);
        Assert.DoesNotContain("--executor", output[output.IndexOf("collect the results", StringComparison.Ordinal)..]);
        Assert.Contains("--collect", output);

        var pretrain = File.ReadAllText(Slurm("pretrain.sh"));
        Assert.StartsWith("#!/bin/bash\n", pretrain, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --array=0-13\n", pretrain);
        Assert.Contains("#SBATCH --cpus-per-task=1\n", pretrain);
        Assert.Contains("#SBATCH --job-name=sernb-pretrain\n", pretrain);
        Assert.Contains($"#SBATCH --output={Slurm("logs/pretrain_%A_%a.out")}\n", pretrain);
        Assert.Contains($"#SBATCH --error={Slurm("logs/pretrain_%A_%a.err")}\n", pretrain);
        Assert.Contains(" --labels " + Path.Combine(_root, "labels"), pretrain);
        Assert.DoesNotContain("--kill-on-invalid-dep", pretrain);
        var pretrainRuns = File.ReadAllLines(Slurm("pretrain.list"));
        Assert.Equal(14, pretrainRuns.Length);
        Assert.All(pretrainRuns, run => Assert.True(File.Exists(Path.Combine(_root, "configs", run + ".json")), run));
        // The command the nodes run is absolute.
        var sernb = pretrain.Split('\n').Single(l => l.StartsWith("sernb=(", StringComparison.Ordinal));
        Assert.StartsWith("sernb=(/", sernb, StringComparison.Ordinal);

        var baseline = File.ReadAllText(Slurm(SlurmPlan.NoPretrainingArray + ".sh"));
        Assert.Contains("#SBATCH --array=0-1\n", baseline);
        Assert.DoesNotContain("--labels", baseline);
        Assert.Equal(["finetune/baseline-seed1", "finetune/baseline-seed2"], File.ReadAllLines(Slurm(SlurmPlan.NoPretrainingArray + ".list")));

        // Each pre-training task's fine-tunings: one array waiting for exactly that task.
        var commands = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("sbatch ", StringComparison.Ordinal)).ToList();
        Assert.Equal(16, commands.Count);
        Assert.Equal($"sbatch --parsable --partition=debug --comment 'two words' {Slurm("pretrain.sh")}", commands[0]);
        for (var task = 0; task < pretrainRuns.Length; task++)
        {
            var leaf = pretrainRuns[task]["pretrain/".Length..].Replace('+', '_');
            var script = Slurm($"finetune-{leaf}.sh");
            Assert.Contains($"sbatch --parsable --dependency=afterok:${{pretrain}}_{task} --partition=debug --comment 'two words' {script}", commands);
            var text = File.ReadAllText(script);
            Assert.Contains("#SBATCH --array=0-0\n", text);
            Assert.Contains("#SBATCH --kill-on-invalid-dep=yes\n", text);
            var finetuning = Assert.Single(File.ReadAllLines(Path.ChangeExtension(script, ".list")));
            Assert.Equal(pretrainRuns[task].Replace("pretrain/", "finetune/", StringComparison.Ordinal), finetuning);
        }
        var submit = File.ReadAllText(Slurm(SlurmSubmission.SubmitScriptName));
        Assert.All(commands, c => Assert.Contains(c, submit));
        Assert.Empty(Directory.EnumerateFiles(Slurm("logs")));
    }

    [Fact]
    public void SbatchArgsAreSplitAsAShellWould()
    {
        Assert.Equal(["--partition=gpu", "--comment", "a b", "--x=it's", "c\"d"], ShellWords.Split("--partition=gpu  --comment 'a b' --x=\"it's\" c\\\"d"));
        Assert.Empty(ShellWords.Split("  "));
        Assert.Throws<ArgumentException>(() => ShellWords.Split("--comment 'open"));
        Assert.Equal("'a b'", ShellWords.Quote("a b"));
        Assert.Equal("'it'\\''s'", ShellWords.Quote("it's"));
    }

    [Fact]
    public void MissingSbatchIsAnErrorNamingIt()
    {
        var e = Assert.Throws<SlurmException>(() => SlurmSubmitter.Locate("/nonexistent-folder"));

        Assert.Contains("sbatch not found", e.Message);
        Assert.Contains("--dry-run", e.Message);
    }

    [Fact]
    public void DryRunAndSbatchArgsNeedTheSlurmExecutor()
    {
        var (exit, output) = ParallelReproduceTests.Invoke(_root, "--dry-run");

        Assert.Equal(1, exit);
        Assert.Contains("--executor slurm", output);
    }
}
