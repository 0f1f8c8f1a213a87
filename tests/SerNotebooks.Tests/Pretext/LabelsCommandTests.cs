using System.Globalization;
using System.Reflection;
using System.Text.Json;
using SerNotebooks.Demo;
using SerNotebooks.Pretext;
using SerNotebooks.Tests.Pretext.StandIn;
using SerNotebooks.Tests.Demo;

namespace SerNotebooks.Tests.Pretext;

[Collection(TinyCorpusCollection.Name)]
public sealed class LabelsCommandTests(TinyCorpusFixture corpus) : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"sernb-labels-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    // Runs the real `sernb` entry point in-process.
    private static int Sernb(params string[] args)
    {
        var entryPoint = Assembly.Load("sernb").EntryPoint ?? throw new InvalidOperationException("sernb has no entry point");
        return entryPoint.Invoke(null, [args]) switch
        {
            int code => code,
            Task<int> task => task.GetAwaiter().GetResult(),
            var other => throw new InvalidOperationException($"Unexpected entry-point result {other}"),
        };
    }

    [Fact]
    public void WritesLabelsLabellerStateReportTablesAndCharts()
    {
        var output = Path.Combine(_scratch, "labels");
        var manifest = Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder);

        var code = Sernb("labels", "--manifest", manifest, "--out", output, "--tasks", "energy-variation",
            "--cache", Path.Combine(_scratch, "cache"));

        Assert.Equal(0, code);
        var labels = File.ReadAllLines(Path.Combine(output, "energy-variation.chunks.csv"));
        Assert.Equal("ClipId,Speaker,Split,Source,Chunk,Label,Class,Value", labels[0]);
        var clips = File.ReadAllLines(Path.Combine(manifest, "manifest.csv")).Length - 1;
        Assert.Equal(clips * 11, labels.Length - 1);

        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "energy-variation.labeller.json")));
        var threshold = state.RootElement.GetProperty("threshold").GetDouble();
        // Every row is labelled high exactly when its value exceeds the saved threshold.
        foreach (var row in labels.Skip(1).Select(l => l.Split(',')))
        {
            var value = double.Parse(row[7], CultureInfo.InvariantCulture);
            Assert.Equal(value > threshold ? "high" : "low", row[6]);
        }

        // The training side's label files: every clip, 11 chunk labels, the same labeller state.
        var set = PretextLabelSetFile.Read(output, "energy-variation");
        Assert.Equal(clips, set.ByClip.Count);
        Assert.All(set.ByClip.Values, l => Assert.Equal(11, l.ChunkLabels!.Length));
        Assert.Equal(threshold, JsonDocument.Parse(set.LabellerStateJson).RootElement.GetProperty("threshold").GetDouble());

        foreach (var table in new[] { "distribution.csv", "coverage.csv", "skipped.csv", "skip-reasons.csv", "agreement.csv",
                     "vs-latent_emotion.csv", "contingency-energy-variation-vs-latent_emotion-clip.csv", "contingency-energy-variation-vs-latent_emotion-chunk.csv" })
        {
            Assert.True(File.Exists(Path.Combine(output, table)), $"{table} is written");
        }
        Assert.StartsWith("latent_emotion,low,high", File.ReadAllLines(Path.Combine(output, "contingency-energy-variation-vs-latent_emotion-clip.csv"))[0]);

        var charts = Directory.GetFiles(output, "*.html").Select(Path.GetFileName).ToList();
        Assert.Contains("label-distribution.html", charts);
        Assert.Contains(charts, c => c!.StartsWith("energy-contour-", StringComparison.Ordinal));
        var html = File.ReadAllText(Path.Combine(output, "label-distribution.html"));
        // plotly.js is inlined (megabytes), so the page renders offline.
        Assert.True(html.Length > 1_000_000, "plotly.js is embedded in the page");
        Assert.Contains("sernb-plotly-chart", html);
    }

    [Fact]
    public void DrawsTheClipChartOfEveryTaskThatHasOneATaskOfYourOwnIncluded()
    {
        var output = Path.Combine(_scratch, "own-task");
        var manifest = Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder);

        var code = Sernb("labels", "--manifest", manifest, "--out", output, "--task-assembly", typeof(StandInTasks).Assembly.Location,
            "--cache", Path.Combine(_scratch, "cache"));

        Assert.Equal(0, code);
        var charts = Directory.GetFiles(output, "*.html").Select(Path.GetFileName).ToList();
        // The chart clip is the one the most tasks labelled, so every task, the face tasks included, has data to draw.
        foreach (var chart in new[] { "energy-contour-", "activation-curve-", "au-intensity-", ChunkVoicingTask.TaskName + "-" })
        {
            Assert.Contains(charts, c => c!.StartsWith(chart, StringComparison.Ordinal));
        }
        var own = Directory.GetFiles(output, ChunkVoicingTask.TaskName + "-*.html").Single();
        Assert.Contains(ChunkVoicingTask.ChartTitle, File.ReadAllText(own));
    }

    [Fact]
    public void CorpusWithoutFaceDataStillLabelsAudioAndReportsWhyFaceTasksSkippedEveryClip()
    {
        var output = Path.Combine(_scratch, "crema");
        var manifest = Path.Combine(corpus.Root, DemoCorpusGenerator.CremaManifestFolder);

        Assert.Equal(0, Sernb("labels", "--manifest", manifest, "--out", output, "--cache", Path.Combine(_scratch, "cache")));

        var clips = File.ReadAllLines(Path.Combine(manifest, "manifest.csv")).Length - 1;
        var coverage = File.ReadAllLines(Path.Combine(output, "coverage.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[0]);
        Assert.Equal(clips.ToString(CultureInfo.InvariantCulture), coverage["energy-variation"][2]);
        var faceTasks = coverage.Keys.Where(k => k != "energy-variation").ToList();
        Assert.NotEmpty(faceTasks);
        Assert.All(faceTasks, task => Assert.Equal("0", coverage[task][2]));
        var skipped = File.ReadAllLines(Path.Combine(output, "skipped.csv")).Skip(1).ToList();
        Assert.Equal(clips * faceTasks.Count, skipped.Count);
        // The labelled corpus has no latent emotion column: its emotion column is the reference.
        Assert.True(File.Exists(Path.Combine(output, "vs-emotion.csv")));
    }

    [Fact]
    public void UnknownTaskIsAnErrorNamingTheRegisteredTasks()
    {
        var manifest = Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder);
        var output = Path.Combine(_scratch, "never");

        Assert.Equal(1, Sernb("labels", "--manifest", manifest, "--out", output, "--tasks", "lip-reading"));
        Assert.False(Directory.Exists(output));
    }
}
