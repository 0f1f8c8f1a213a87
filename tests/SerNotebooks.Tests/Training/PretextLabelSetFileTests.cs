using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Training;

public class PretextLabelSetFileTests
{
    [Fact]
    public void ALabelSetSurvivesWriteAndReadExactly()
    {
        using var dir = new SerNotebooks.Tests.Native.TempDirectory();
        var set = new PretextLabelSet("facial-activation", LabelGranularity.Chunk, ["low", "high"], "{\"median\": 0.0125, \"note\": \"a,b;c\"}",
            new Dictionary<string, ClipTaskLabels>
            {
                ["b"] = new("b", [1, 0, -1], ClipTaskLabels.MissingLabel, "openface/b.csv", null),
                ["a,quoted"] = new("a,quoted", null, ClipTaskLabels.MissingLabel, "openface/a.csv", "tracker failed on 93% of frames"),
            });

        PretextLabelSetFile.Write(set, dir.Path);
        var read = PretextLabelSetFile.Read(dir.Path, "facial-activation");

        Assert.Equal(set.TaskName, read.TaskName);
        Assert.Equal(set.Granularity, read.Granularity);
        Assert.Equal(set.Classes, read.Classes);
        Assert.Equal(set.LabellerStateJson, read.LabellerStateJson);
        Assert.Equal(set.ByClip.Keys.Order(), read.ByClip.Keys.Order());
        Assert.Equal([1, 0, -1], read.ByClip["b"].ChunkLabels!);
        Assert.Null(read.ByClip["a,quoted"].ChunkLabels);
        Assert.Equal("tracker failed on 93% of frames", read.ByClip["a,quoted"].SkipReason);
        Assert.Contains("\"granularity\": \"chunk\"", File.ReadAllText(PretextLabelSetFile.JsonPath(dir.Path, "facial-activation")));
        Assert.Equal("clip_id,source,skip_reason,utterance_label,chunk_labels", File.ReadLines(PretextLabelSetFile.CsvPath(dir.Path, "facial-activation")).First());
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRejectedNamingFileAndLine()
    {
        using var dir = new SerNotebooks.Tests.Native.TempDirectory();
        var set = new PretextLabelSet("au-emotion", LabelGranularity.Utterance, ["neutral", "happiness", "sadness"], "{}",
            new Dictionary<string, ClipTaskLabels> { ["c1"] = new("c1", null, 2, "openface/c1.csv", null) });
        PretextLabelSetFile.Write(set, dir.Path);
        var csv = PretextLabelSetFile.CsvPath(dir.Path, "au-emotion");
        File.AppendAllText(csv, "c2,openface/c2.csv,,7,\n");

        var error = Assert.Throws<InvalidDataException>(() => PretextLabelSetFile.Read(dir.Path, "au-emotion"));

        Assert.Contains($"{csv}:3", error.Message);
        Assert.Contains("'7'", error.Message);
    }
}
