using SerNotebooks.Ablation;

namespace SerNotebooks.Tests.Ablation;

public class AblationPlanTests
{
    [Fact]
    public void TheDefaultPlanIsTheBaselineAndTheSevenTaskCombinationsOverThreeSeeds()
    {
        var plan = AblationPlan.Create();

        Assert.Equal(
            [
                "baseline", "energy-variation", "facial-activation", "au-emotion",
                "energy-variation+facial-activation", "energy-variation+au-emotion", "facial-activation+au-emotion",
                "energy-variation+facial-activation+au-emotion",
            ],
            plan.Configurations);
        Assert.Equal([1, 2, 3], plan.Seeds);
        Assert.Equal(8 * 3, plan.Finetuning.Count);
        Assert.Equal(7 * 3, plan.Pretraining.Count);
        Assert.Equal(plan.Pretraining.Count, plan.Pretraining.Select(p => p.RelativeDirectory).Distinct().Count());
        Assert.Equal(plan.Finetuning.Count, plan.Finetuning.Select(f => f.RelativeDirectory).Distinct().Count());
        foreach (var run in plan.Finetuning)
        {
            if (run.Configuration == AblationPlan.Baseline)
            {
                Assert.Null(run.Pretraining);
                continue;
            }
            // Each fine-tuning run starts from the one pre-training run of its combination and seed.
            Assert.Same(plan.Pretraining.Single(p => p.Combination == run.Configuration && p.Seed == run.Seed), run.Pretraining);
        }
        Assert.Equal(Path.Combine("pretrain", "energy-variation+au-emotion-seed2"),
            plan.Pretraining.Single(p => p.Combination == "energy-variation+au-emotion" && p.Seed == 2).RelativeDirectory);
        Assert.Equal(Path.Combine("finetune", "baseline-seed3"), plan.Finetuning.Single(f => f.Configuration == "baseline" && f.Seed == 3).RelativeDirectory);
    }

    [Fact]
    public void AnExtraTaskIsOptInAndDoublesTheCombinations()
    {
        var plan = AblationPlan.Create(seedCount: 2, extraTasks: ["speaking-rate"]);

        Assert.Equal(1 + 15, plan.Configurations.Count);
        Assert.Contains("energy-variation+facial-activation+au-emotion+speaking-rate", plan.Configurations);
        Assert.Equal(15 * 2, plan.Pretraining.Count);
    }

    [Fact]
    public void CombinationsAreNamedInTaskOrderWhateverOrderTheyAreGivenIn()
    {
        var plan = AblationPlan.Create(AblationPlan.PaperTasks, [7], [["au-emotion", "energy-variation"], ["energy-variation", "au-emotion"]]);

        Assert.Equal(["baseline", "energy-variation+au-emotion"], plan.Configurations);
        Assert.Equal(["energy-variation", "au-emotion"], plan.Pretraining.Single().Tasks);
        Assert.Throws<ArgumentException>(() => AblationPlan.Create(AblationPlan.PaperTasks, [1], [["pitch"]]));
        Assert.Throws<ArgumentException>(() => AblationPlan.Create(AblationPlan.PaperTasks, [1, 1]));
    }

    [Fact]
    public void SpeakerIndependentSplitsPutEverySpeakerInExactlyOneSplit()
    {
        var speakers = Enumerable.Range(1001, 16).Select(i => i.ToString()).ToArray();
        var splits = AblationCorpus.SpeakerIndependentSplits(speakers.Reverse());

        Assert.Equal(16, splits.Count);
        Assert.Equal(["1011", "1012", "1013"], splits.Where(p => p.Value == "dev").Select(p => p.Key).Order());
        Assert.Equal(["1014", "1015", "1016"], splits.Where(p => p.Value == "test").Select(p => p.Key).Order());
        Assert.Equal(10, splits.Count(p => p.Value == "train"));
    }
}
