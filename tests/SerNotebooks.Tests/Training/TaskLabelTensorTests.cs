using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

public class TaskLabelTensorTests
{
    public TaskLabelTensorTests() => TorchRuntime.EnsureLoadable();

    private static ChunkedDataset Dataset(params string[] ids) =>
        ChunkedDataset.FromArrays(ids.Select(id => new DatasetClip(id, "s1", "train", null)).ToArray(), new float[ids.Length * 3 * 2 * 4], 3, 2, 4);

    [Fact]
    public void MissingSkippedAndAbsentClipsBecomeMinusOneAndOnlyLabelledClipsCount()
    {
        using var dataset = Dataset("a", "b", "c", "d");
        var set = new PretextLabelSet("t", LabelGranularity.Chunk, ["low", "high"], "{}", new Dictionary<string, ClipTaskLabels>
        {
            ["a"] = new("a", [1, -1, 0], -1, "audio", null),
            ["b"] = new("b", [1, 1, 1], -1, "audio", "no speech"),
            ["d"] = new("d", [-1, -1, -1], -1, "audio", null),
        });

        using var labels = TaskLabelTensor.FromLabelSet(set, dataset);

        Assert.Equal(new long[] { 4, 3 }, labels.Labels.shape);
        Assert.Equal(new long[] { 1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1 }, labels.Labels.data<long>().ToArray());
        Assert.Equal(1, labels.LabelledClips);
    }

    [Fact]
    public void ChunkLabelsOfTheWrongLengthOrClassAreRejectedNamingTaskAndClip()
    {
        using var dataset = Dataset("a");
        var tooShort = new PretextLabelSet("energy", LabelGranularity.Chunk, ["low", "high"], "{}",
            new Dictionary<string, ClipTaskLabels> { ["a"] = new("a", [1, 0], -1, "audio", null) });
        var badClass = new PretextLabelSet("au", LabelGranularity.Utterance, ["x", "y"], "{}",
            new Dictionary<string, ClipTaskLabels> { ["a"] = new("a", null, 2, "openface", null) });

        var lengthError = Assert.Throws<InvalidDataException>(() => TaskLabelTensor.FromLabelSet(tooShort, dataset));
        var classError = Assert.Throws<InvalidDataException>(() => TaskLabelTensor.FromLabelSet(badClass, dataset));

        Assert.Contains("task 'energy', clip 'a': 2 chunk labels", lengthError.Message);
        Assert.Contains("task 'au', clip 'a': label 2", classError.Message);
    }
}
