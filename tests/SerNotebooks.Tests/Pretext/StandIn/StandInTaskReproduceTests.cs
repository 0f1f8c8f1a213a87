using System.Text.Json;
using SerNotebooks.Ablation;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Evaluation;
using SerNotebooks.Pretext;
using SerNotebooks.Tests.Notebooks;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Pretext.StandIn;

/// <summary>
/// A task of the user's own (<see cref="ChunkVoicingTask"/>, registered by <see cref="StandInTasks"/> in this test
/// assembly) reaches every step of <c>sernb reproduce</c> through <c>--task-assembly</c> alone: labels, pre-training,
/// the tables, the charts and the repository's notebooks, with no file of the library changed.
/// </summary>
// The notebooks run in this process's kernel: never in parallel with other kernels.
[Collection(NotebookCollection.Name)]
public sealed class StandInTaskReproduceTests : IDisposable
{
    private static readonly string TaskAssembly = typeof(StandInTasks).Assembly.Location;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-stand-in-task-" + Guid.NewGuid().ToString("N"));

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
    public void TheAssemblysPluginRegistersTheTaskAndItsShuffledControl()
    {
        var registry = PretextTaskRegistry.Create([TaskAssembly]);

        Assert.Equal(["energy-variation", "facial-activation", "au-emotion", ChunkVoicingTask.TaskName], registry.PretextTaskNames);
        Assert.Contains("shuffled-" + ChunkVoicingTask.TaskName, registry.All.Select(t => t.Name));
        Assert.Equal([Path.GetFullPath(TaskAssembly)], registry.TaskAssemblies);
        var unknown = Assert.Throws<ArgumentException>(() => PretextTaskRegistry.CreateDefault().SelectTasks("energy-variation," + ChunkVoicingTask.TaskName));
        Assert.Contains("--task-assembly", unknown.Message);
    }

    [Fact]
    public void ReproduceRunsTheStandInTaskThroughPretrainingTablesChartsAndNotebooks()
    {
        var notebooks = Path.Combine(SerNotebooksPaths.FindRepositoryRoot(AppContext.BaseDirectory), "notebooks");
        string[] tasks = ["energy-variation", ChunkVoicingTask.TaskName];

        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            "reproduce", "--profile", "tiny", "--seeds", "1", "--tasks", string.Join(',', tasks), "--task-assembly", TaskAssembly,
            "--jobs", "1", "--out", _root, "--notebooks", notebooks);

        Assert.True(exit == 0, output);
        // The plan: the baseline and every combination of the two tasks.
        string[] configurations = ["baseline", "energy-variation", ChunkVoicingTask.TaskName, "energy-variation+" + ChunkVoicingTask.TaskName];
        var summary = ResultsTable.ReadSummaryCsv(Path.Combine(_root, AblationRunner.SummaryFileName));
        Assert.Equal(configurations, summary.RowKeys);
        Assert.Equal(configurations, ResultsTable.ReadRuns(Path.Combine(_root, AblationRunner.RunsFileName)).Select(r => r.Configuration));
        // Its labels, with its own labeller state read back: the ablation's set (notebook 07's study, with tiny's opt-in tasks,
        // has one of its own that copies these).
        var labels = Directory.GetDirectories(Path.Combine(_root, AblationLabels.FolderName))
            .Single(d => File.ReadAllLines(Path.Combine(d, AblationLabels.CompleteFileName)).Order().SequenceEqual(tasks.Order()));
        var set = PretextLabelSetFile.Read(labels, ChunkVoicingTask.TaskName);
        Assert.True(ChunkVoicingLabeller.FromStateJson(set.LabellerStateJson).State.TrainingChunks > 0);
        Assert.Equal([0, 1], set.ByClip.Values.SelectMany(l => l.ChunkLabels!).Where(l => l >= 0).Distinct().Order());
        // Its pre-training trained a head of its own.
        var history = File.ReadLines(new RunFolder(Path.Combine(_root, "pretrain", ChunkVoicingTask.TaskName + "-seed1")).MetricsCsvPath).First();
        Assert.Contains("train_loss_" + ChunkVoicingTask.TaskName, history);
        // The charts and the plan name it; the plan names the assembly, so later commands and notebooks find the task.
        Assert.Contains(Directory.GetFiles(Path.Combine(_root, "charts"), "*.html"), chart => File.ReadAllText(chart).Contains(ChunkVoicingTask.TaskName));
        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, AblationRunner.PlanFileName)));
        Assert.Equal([Path.GetFullPath(TaskAssembly)], plan.RootElement.GetProperty("taskAssemblies").EnumerateArray().Select(e => e.GetString()));
        // The notebooks ran over the same plan: notebook 05 pre-trained nothing new and shows the task's combination.
        var report = Path.Combine(_root, ReproduceCommand.ReportFolder);
        Assert.True(File.Exists(Path.Combine(report, "index.html")), output);
        var ablations = File.ReadAllText(Path.Combine(report, "05-pretraining-and-ablations.ipynb"));
        Assert.Contains("energy-variation+" + ChunkVoicingTask.TaskName, ablations);
        // Notebook 04 draws every plan task's chart of its example clip: the stand-in task's too.
        Assert.Contains(ChunkVoicingTask.ChartTitle, File.ReadAllText(Path.Combine(report, "04-task3-au-emotions.ipynb")));
    }
}
