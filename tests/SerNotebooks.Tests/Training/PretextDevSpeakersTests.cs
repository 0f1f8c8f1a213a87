using SerNotebooks.Data;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

[Collection("training tiny corpus")]
public class PretextDevSpeakersTests(TrainingCorpusFixture corpus)
{
    [Fact]
    public void TheDealTakesTheShareOfSpeakersAndDependsOnlyOnTheirIds()
    {
        var speakers = Enumerable.Range(1, 64).Select(i => $"spk{i:000}").ToArray();
        var dev = PretextDevSpeakers.Select(speakers, 0.2);

        Assert.Equal(13, dev.Count);   // round(0.2 × 64)
        Assert.All(dev, s => Assert.Contains(s, speakers));
        Assert.Equal(dev.Order(), PretextDevSpeakers.Select(speakers.Reverse().Concat(speakers), 0.2).Order());
        Assert.Empty(PretextDevSpeakers.Select(speakers, 0));
        Assert.Single(PretextDevSpeakers.Select(["a", "b"], 0.01));   // at least one
        Assert.Empty(PretextDevSpeakers.Select(["a"], 0.5));          // one speaker cannot be split
    }

    [Fact]
    public void PretextDevSpeakersAreDisjointFromTrainingSpeakersWhateverTheSeed()
    {
        var config = corpus.Pretraining(new TaskWeight("energy-std")) with { PretextDevSpeakerShare = 0.25 };
        var clips = TrainingRun.SelectClips(config);
        var bySpeaker = clips.GroupBy(c => c.Entry.Speaker).ToDictionary(g => g.Key, g => g.Select(c => c.Split).Distinct().ToArray());

        Assert.Equal(Manifest.Load(corpus.PretrainingManifest).Entries.Count, clips.Count);
        Assert.All(bySpeaker.Values, roles => Assert.Single(roles));   // no speaker in both roles
        var devSpeakers = bySpeaker.Where(s => s.Value[0] == TrainingRun.DevRole).Select(s => s.Key).Order().ToArray();
        Assert.Equal(2, devSpeakers.Length);   // 0.25 × 8 speakers
        Assert.Equal(bySpeaker.Count - 2, bySpeaker.Count(s => s.Value[0] == TrainingRun.TrainRole));

        var otherSeed = TrainingRun.SelectClips(config with { Seed = 99 });
        Assert.Equal(devSpeakers, otherSeed.Where(c => c.Split == TrainingRun.DevRole).Select(c => c.Entry.Speaker).Distinct().Order());
        Assert.DoesNotContain(TrainingRun.SelectClips(config with { PretextDevSpeakerShare = 0 }), c => c.Split != TrainingRun.TrainRole);
    }
}
