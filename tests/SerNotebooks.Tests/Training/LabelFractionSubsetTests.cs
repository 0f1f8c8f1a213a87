using SerNotebooks.Data;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

public class LabelFractionSubsetTests
{
    private static readonly string[] Emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    // Unbalanced on purpose: 30 anger clips, 12 disgust, 3 fear, 1 happiness, 7 neutral, 20 sadness.
    private static readonly int[] Counts = [30, 12, 3, 1, 7, 20];

    private static List<(string Id, string? Emotion)> Clips() =>
        Emotions.SelectMany((emotion, e) => Enumerable.Range(0, Counts[e]).Select(i => ($"{emotion}-{i:D2}", (string?)emotion))).ToList();

    private static Dictionary<string, int> PerEmotion(IEnumerable<string> ids) =>
        ids.GroupBy(id => id[..id.IndexOf('-')]).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void SubsetsAreNestedAcrossFractions()
    {
        var fractions = new[] { 0.1, 0.25, 0.5, 1.0 };
        var subsets = fractions.Select(f => LabelFractionSubset.Select(Clips(), f, seed: 3)).ToArray();

        for (var i = 1; i < subsets.Length; i++)
        {
            Assert.True(subsets[i - 1].IsSubsetOf(subsets[i]), $"{fractions[i - 1]} ⊄ {fractions[i]}");
            Assert.True(subsets[i - 1].Count < subsets[i].Count);
        }
        Assert.Equal(Clips().Select(c => c.Id).Order(), subsets[^1].Order());
    }

    [Fact]
    public void EachEmotionKeepsItsShareAndAtLeastOneClip()
    {
        foreach (var fraction in new[] { 0.01, 0.1, 0.25, 0.5 })
        {
            var kept = PerEmotion(LabelFractionSubset.Select(Clips(), fraction, seed: 1));
            for (var e = 0; e < Emotions.Length; e++)
            {
                // ⌈f · n_e⌉, never 0 for an emotion present (0.1 · 30 must stay 3, not round up to 4).
                Assert.Equal(Math.Max(1, (int)Math.Ceiling(Math.Round(fraction * Counts[e], 9))), kept[Emotions[e]]);
            }
        }
        Assert.Equal(3, LabelFractionSubset.KeptCount(30, 0.1));
        Assert.Equal(1, LabelFractionSubset.KeptCount(1, 0.1));
        Assert.Equal(0, LabelFractionSubset.KeptCount(0, 0.5));
    }

    [Fact]
    public void TheSubsetIsDeterministicDependsOnTheSeedAndNotOnTheClipOrder()
    {
        var first = LabelFractionSubset.Select(Clips(), 0.25, seed: 2);
        var again = LabelFractionSubset.Select(Enumerable.Reverse(Clips()).ToList(), 0.25, seed: 2);
        var otherSeed = LabelFractionSubset.Select(Clips(), 0.25, seed: 5);

        Assert.Equal(first.Order(), again.Order());
        Assert.NotEqual(first.Order(), otherSeed.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelFractionSubset.Select(Clips(), 0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelFractionSubset.Select(Clips(), 1.01, seed: 1));
    }

    [Fact]
    public void SelectClipsSubsetsOnlyTheTrainingClipsTheSameForEveryConfiguration()
    {
        var root = Path.Combine(Path.GetTempPath(), "sernb-label-fraction-" + Guid.NewGuid().ToString("N"));
        try
        {
            var entries = Clips().Select((c, i) => new ManifestEntry
            {
                Id = c.Id,
                AudioPath = c.Id + ".wav",
                Speaker = $"{1001 + i % 10}",
                Emotion = c.Emotion,
            }).ToList();
            new Manifest(new ManifestMetadata("crema-d", ManifestMetadata.LabelledKind, root), root, entries).Save(root);
            var splits = Enumerable.Range(1001, 10).ToDictionary(s => $"{s}", s => s <= 1006 ? "train" : s <= 1008 ? "dev" : "test");
            var all = new TrainingConfig { Manifests = [root], SpeakerSplits = splits, Seed = 4 };
            var quarter = all with { LabelFraction = 0.25 };
            // Another configuration: pre-trained start, frozen encoder — the same clips.
            var probe = quarter with { PretrainedRun = "/elsewhere/pretrain/au-emotion-seed4", FreezeEncoder = true };

            var allClips = TrainingRun.SelectClips(all);
            var quarterClips = TrainingRun.SelectClips(quarter);

            static string[] Ids(IEnumerable<(Manifest, ManifestEntry Entry, string Split)> clips, string split) =>
                clips.Where(c => c.Split == split).Select(c => c.Entry.Id).Order().ToArray();
            Assert.Equal(Ids(allClips, "dev"), Ids(quarterClips, "dev"));
            Assert.Equal(Ids(allClips, "test"), Ids(quarterClips, "test"));
            var trainIds = allClips.Where(c => c.Split == "train").Select(c => (c.Entry.Id, c.Entry.Emotion)).ToList();
            Assert.Equal(LabelFractionSubset.Select(trainIds, 0.25, 4).Order(), Ids(quarterClips, "train"));
            Assert.True(Ids(quarterClips, "train").Length < Ids(allClips, "train").Length);
            Assert.Equal(Ids(quarterClips, "train"), Ids(TrainingRun.SelectClips(probe), "train"));
            // Pre-training is never subsetted.
            Assert.Equal(entries.Count, TrainingRun.SelectClips(all with { Kind = RunKind.Pretrain, SpeakerSplits = null, LabelFraction = 0.25 }).Count);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public void AConfigWithoutAFractionKeepsItsCanonicalJsonAndABadFractionIsRejected()
    {
        var config = new TrainingConfig { Manifests = ["m"] };

        Assert.DoesNotContain("labelFraction", config.CanonicalJson());
        Assert.Contains("\"labelFraction\": 0.5", (config with { LabelFraction = 0.5 }).CanonicalJson());
        Assert.Throws<ArgumentException>(() => (config with { LabelFraction = 0 }).Validate());
        Assert.Throws<ArgumentException>(() => (config with { LabelFraction = 2 }).Validate());
    }
}
