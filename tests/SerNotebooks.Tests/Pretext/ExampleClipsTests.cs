using SerNotebooks.Data;
using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Pretext;

/// <summary>A hand-made labelling run: three clips, an energy (chunk) task and an AU-style (utterance) task.</summary>
internal static class HandLabelledRun
{
    public const string ChunkTask = "energy-variation";
    public const string UtteranceTask = "au-emotion";

    /// <param name="utteranceLabels">The utterance task's label per clip (0 = happiness, 1 = neutral).</param>
    public static PretextLabellingResult Create(int[]? utteranceLabels = null)
    {
        var utterance = utteranceLabels ?? [1, 1, 0];
        string[] ids = ["c1", "c2", "c3"];
        string[] emotions = ["anger", "anger", "sadness"];
        var entries = ids.Select((id, i) => new ManifestEntry
        {
            Id = id, AudioPath = $"{id}.wav", Speaker = "s1",
            Extras = new Dictionary<string, string> { ["latent_emotion"] = emotions[i] },
        }).ToList();
        var manifest = new Manifest(new ManifestMetadata("hand", ManifestMetadata.UnlabelledKind, "."), "/data", entries);
        int[][] chunkLabels = [[1, 1], [0, 1], [0, ClipTaskLabels.MissingLabel]];
        double[][] chunkValues = [[7, 8], [3, 9], [2, double.NaN]];
        var chunkSet = new PretextLabelSet(ChunkTask, LabelGranularity.Chunk, ["low", "high"], "{}",
            ids.Select((id, i) => new ClipTaskLabels(id, chunkLabels[i], ClipTaskLabels.MissingLabel, "audio", null)).ToDictionary(l => l.ClipId));
        var utteranceSet = new PretextLabelSet(UtteranceTask, LabelGranularity.Utterance, ["happiness", "neutral"], "{}",
            ids.Select((id, i) => new ClipTaskLabels(id, null, utterance[i], "openface", null)).ToDictionary(l => l.ClipId));
        var measurements = new Dictionary<string, IReadOnlyList<TaskMeasurement>>
        {
            [ChunkTask] = ids.Select((id, i) => new TaskMeasurement(id, "s1", chunkValues[i], null, "audio", null)).ToList(),
            [UtteranceTask] = ids.Select((id, i) => new TaskMeasurement(id, "s1", null, utterance[i], "openface", null)).ToList(),
        };
        return new PretextLabellingResult([manifest], [ChunkTask, UtteranceTask],
            new Dictionary<string, PretextLabelSet> { [ChunkTask] = chunkSet, [UtteranceTask] = utteranceSet },
            measurements, new Dictionary<string, ITaskLabeller>(), [], ids, "all clips");
    }
}

public class ExampleClipsTests
{
    [Fact]
    public void ChunkTaskExampleIsTheFirstClipWithBothClasses()
    {
        Assert.Equal("c2", ExampleClips.Pick(HandLabelledRun.Create(), HandLabelledRun.ChunkTask).Id);
    }

    [Fact]
    public void UtteranceTaskExampleIsTheFirstClipNotOfTheMostFrequentClass()
    {
        Assert.Equal("c3", ExampleClips.Pick(HandLabelledRun.Create([1, 1, 0]), HandLabelledRun.UtteranceTask).Id);
        Assert.Equal("c2", ExampleClips.Pick(HandLabelledRun.Create([0, 1, 0]), HandLabelledRun.UtteranceTask).Id);
        // Every clip in one class: the first labelled clip.
        Assert.Equal("c1", ExampleClips.Pick(HandLabelledRun.Create([1, 1, 1]), HandLabelledRun.UtteranceTask).Id);
    }

    [Fact]
    public void UnknownTaskOrNoLabelledClipIsAClearError()
    {
        var run = HandLabelledRun.Create();
        var unknown = Assert.Throws<KeyNotFoundException>(() => ExampleClips.Pick(run, "facial-activation"));
        Assert.Contains("energy-variation", unknown.Message);

        var empty = run with
        {
            LabelSets = new Dictionary<string, PretextLabelSet>
            {
                [HandLabelledRun.ChunkTask] = run.LabelSets[HandLabelledRun.ChunkTask] with { ByClip = new Dictionary<string, ClipTaskLabels>() },
                [HandLabelledRun.UtteranceTask] = run.LabelSets[HandLabelledRun.UtteranceTask],
            },
        };
        Assert.Throws<InvalidOperationException>(() => ExampleClips.Pick(empty, HandLabelledRun.ChunkTask));
    }

    [Fact]
    public void LabelsOfListsOnlyThatClipsChunks()
    {
        var rows = ExampleClips.LabelsOf(HandLabelledRun.Create(), HandLabelledRun.ChunkTask, "c2");

        Assert.Equal(["c2", "c2"], rows.GetColumn<string>(nameof(LabelRow.ClipId)).Values);
        Assert.Equal(["low", "high"], rows.GetColumn<string>(nameof(LabelRow.Class)).Values);
        Assert.Equal([3.0, 9.0], rows.GetColumn<double>(nameof(LabelRow.Value)).Values);
    }
}
