using SerNotebooks.Ablation;
using SerNotebooks.Data;

namespace SerNotebooks.Tests.Ablation;

public class SpeakerFoldsTests
{
    // 10 speakers: 6 women, 4 men, two clips each.
    private static IReadOnlyList<ManifestEntry> Corpus(bool withSex = true) =>
        Enumerable.Range(1, 10)
            .SelectMany(i => new[] { "a", "b" }.Select(clip => new ManifestEntry
            {
                Id = $"{1000 + i}_{clip}",
                AudioPath = $"{1000 + i}_{clip}.wav",
                Speaker = $"{1000 + i}",
                Sex = withSex ? (i <= 6 ? "Female" : "Male") : null,
                Emotion = "anger",
            }))
            .ToList();

    [Fact]
    public void EverySpeakerIsTestedExactlyOnceAndEachFoldSplitsTestDevAndTrainDisjointly()
    {
        var folds = SpeakerFolds.Create(Corpus(), 5);
        var speakers = Corpus().Select(e => e.Speaker).Distinct().ToList();

        Assert.Equal(5, folds.Count);
        Assert.True(folds.StratifiedBySex);
        var tested = Enumerable.Range(1, 5).SelectMany(folds.SpeakersOf).ToList();
        Assert.Equal(speakers.Order(), tested.Order());
        Assert.All(Enumerable.Range(1, 5), f => Assert.Equal(2, folds.SpeakersOf(f).Count));
        for (var fold = 1; fold <= 5; fold++)
        {
            var splits = folds.SplitsFor(fold);
            // Every speaker has exactly one split in the fold (a dictionary cannot hold two), and all speakers are placed.
            Assert.Equal(speakers.Order(), splits.Keys.Order());
            Assert.Equal(folds.SpeakersOf(fold).Order(), splits.Where(s => s.Value == "test").Select(s => s.Key).Order());
            var dev = fold == 5 ? 1 : fold + 1;
            Assert.Equal(dev, folds.DevFoldOf(fold));
            Assert.Equal(folds.SpeakersOf(dev).Order(), splits.Where(s => s.Value == "dev").Select(s => s.Key).Order());
            Assert.Equal(6, splits.Count(s => s.Value == "train"));
        }
    }

    [Fact]
    public void FoldsMixTheSexesInProportionAndAreTheSameEveryTime()
    {
        var first = SpeakerFolds.Create(Corpus(), 3);
        var second = SpeakerFolds.Create(Corpus().Reverse(), 3);

        Assert.Equal(first.FoldOf.OrderBy(p => p.Key), second.FoldOf.OrderBy(p => p.Key));
        var women = Enumerable.Range(1001, 6).Select(i => i.ToString()).ToHashSet();
        foreach (var fold in Enumerable.Range(1, 3))
        {
            // 6 women and 4 men dealt round-robin over 3 folds: 2 women per fold, the men 2/1/1.
            Assert.Equal(2, first.SpeakersOf(fold).Count(women.Contains));
        }
        Assert.Equal([4, 3, 3], Enumerable.Range(1, 3).Select(f => first.SpeakersOf(f).Count).OrderDescending());
    }

    [Fact]
    public void WithoutASexColumnTheFoldsAreStillDisjointAndComplete()
    {
        var folds = SpeakerFolds.Create(Corpus(withSex: false), 4);

        Assert.False(folds.StratifiedBySex);
        Assert.Equal(10, folds.FoldOf.Count);
        Assert.Equal([3, 3, 2, 2], Enumerable.Range(1, 4).Select(f => folds.SpeakersOf(f).Count).OrderDescending());
    }

    [Fact]
    public void TooFewFoldsOrTooFewSpeakersAreClearErrors()
    {
        var two = Assert.Throws<ArgumentOutOfRangeException>(() => SpeakerFolds.Create(Corpus(), 2));
        Assert.Contains("at least 3 folds", two.Message);
        var many = Assert.Throws<ArgumentOutOfRangeException>(() => SpeakerFolds.Create(Corpus(), 11));
        Assert.Contains("the corpus has 10", many.Message);
        var plan = Assert.Throws<ArgumentOutOfRangeException>(() => AblationPlan.Create(1).WithFolds(2));
        Assert.Contains("at least 3 folds", plan.Message);
    }

    [Fact]
    public void AKFoldPlanHasOneFineTuningRunPerConfigurationSeedAndFoldAndSharesItsPretraining()
    {
        var plain = AblationPlan.Create(seedCount: 2);
        var plan = plain.WithFolds(3);

        Assert.Equal(3, plan.Folds);
        Assert.Equal("3-fold-by-actor", plan.Protocol);
        Assert.Equal("test-split", plain.Protocol);
        Assert.Equal(plain.Pretraining, plan.Pretraining);
        Assert.Equal(8 * 2 * 3, plan.Finetuning.Count);
        Assert.Equal(plan.Finetuning.Count, plan.Finetuning.Select(f => f.RelativeDirectory).Distinct().Count());
        foreach (var group in plan.Finetuning.GroupBy(f => (f.Configuration, f.Seed)))
        {
            Assert.Equal([1, 2, 3], group.Select(f => f.Fold!.Value).Order());
            // Every fold of a (combination, seed) starts from the same pre-training run.
            Assert.Single(group.Select(f => f.Pretraining).Distinct());
        }
        Assert.Equal(Path.Combine("finetune", "au-emotion-seed2-fold3"),
            plan.Finetuning.Single(f => f.Configuration == "au-emotion" && f.Seed == 2 && f.Fold == 3).RelativeDirectory);
    }
}
