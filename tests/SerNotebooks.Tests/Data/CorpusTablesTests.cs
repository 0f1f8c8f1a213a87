using SerNotebooks.Data;

namespace SerNotebooks.Tests.Data;

public class CorpusTablesTests
{
    /// <summary>Three speakers, one per split: s1 (female, train), s2 (male, dev), s3 (female, test).</summary>
    internal static Manifest SmallCorpus(bool speakerInTwoSplits = false)
    {
        ManifestEntry Clip(string id, string speaker, string sex, string emotion, string split) => new()
        {
            Id = id, AudioPath = $"{id}.wav", Speaker = speaker, Sex = sex, Emotion = emotion, Split = split,
            Extras = new Dictionary<string, string> { ["duration"] = "2.500" },
        };
        List<ManifestEntry> entries =
        [
            Clip("a1", "s1", "female", "anger", "train"),
            Clip("a2", "s1", "female", "anger", "train"),
            Clip("a3", "s1", "female", "sadness", "train"),
            Clip("b1", "s2", "male", "anger", "dev"),
            Clip("c1", "s3", "female", "sadness", "test"),
        ];
        if (speakerInTwoSplits)
        {
            entries.Add(Clip("b2", "s2", "male", "sadness", "test"));
        }
        return new Manifest(new ManifestMetadata("small", ManifestMetadata.LabelledKind, "."), "/data", entries);
    }

    [Fact]
    public void HeadShowsOnlyColumnsWithValuesInSchemaOrder()
    {
        var head = CorpusTables.Head(SmallCorpus(), rows: 2);

        Assert.Equal([0, 1], head.RowKeys);
        Assert.Equal(["id", "speaker", "sex", "emotion", "split", "audio", "duration"], head.ColumnKeys);
        Assert.Equal("a2", head.GetColumn<string>("id")[1]);
    }

    [Fact]
    public void CountsClipsPerEmotionAndSplitInTrainDevTestOrder()
    {
        var counts = CorpusTables.ClipsPerClassAndSplit(SmallCorpus());

        Assert.Equal(["train", "dev", "test"], counts.ColumnKeys);
        Assert.Equal(["anger", "sadness"], counts.RowKeys);
        Assert.Equal(2, counts.GetColumn<int>("train")["anger"]);
        Assert.Equal(0, counts.GetColumn<int>("dev")["sadness"]);
        Assert.Throws<ArgumentException>(() => CorpusTables.ClipsPerClassAndSplit(SmallCorpus(), column: "latent_emotion"));
    }

    [Fact]
    public void SpeakerSplitTableOverridesTheManifestColumn()
    {
        var splits = new Dictionary<string, string> { ["s1"] = "train", ["s2"] = "train", ["s3"] = "test" };

        var counts = CorpusTables.ClipsPerClassAndSplit(SmallCorpus(), splits);

        Assert.Equal(["train", "test"], counts.ColumnKeys);
        Assert.Equal(3, counts.GetColumn<int>("train")["anger"]);
        Assert.Equal("train", CorpusTables.SplitOf(SmallCorpus().Entries[3], splits));
        Assert.Equal(CorpusTables.NoSplit, CorpusTables.SplitOf(new ManifestEntry { Id = "x", AudioPath = "x.wav", Speaker = "z" }));
    }

    [Fact]
    public void SpeakersPerSplitFlagsASpeakerWhoseClipsAreInTwoSplits()
    {
        var clean = CorpusTables.SpeakersPerSplit(SmallCorpus());
        Assert.Equal([1, 1, 1], clean.GetColumn<int>("speakers").Values);
        Assert.Equal([3, 1, 1], clean.GetColumn<int>("clips").Values);
        Assert.Equal([1, 0, 1], clean.GetColumn<int>("female").Values);
        Assert.All(clean.GetColumn<int>("also in another split").Values, n => Assert.Equal(0, n));
        Assert.Empty(CorpusTables.SpeakersInSeveralSplits(SmallCorpus()));

        var leaky = CorpusTables.SpeakersPerSplit(SmallCorpus(speakerInTwoSplits: true));
        Assert.Equal(["s2"], CorpusTables.SpeakersInSeveralSplits(SmallCorpus(speakerInTwoSplits: true)));
        Assert.Equal(1, leaky.GetColumn<int>("also in another split")["dev"]);
        Assert.Equal("s2 s3", leaky.GetColumn<string>("speaker ids")["test"]);
    }
}
