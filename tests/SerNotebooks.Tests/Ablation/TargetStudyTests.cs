using SerNotebooks.Ablation;
using SerNotebooks.Evaluation;
using SerNotebooks.Native;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Ablation;

/// <summary>Issue 15 points 5–7: fine-tuning targets in the plan, the study of notebook 07 and its tables.</summary>
public sealed class TargetStudyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-targets-" + Guid.NewGuid().ToString("N"));

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
    public void TargetsMultiplyOnlyFineTuningAndOnlyNonIntendedTargetsGetAFolderSuffix()
    {
        var plan = AblationPlan.Create(AblationPlan.PaperTasks, [1, 2], [["energy-variation"]]);
        var withTargets = plan.WithTargets(FinetuneTarget.ParseList("intended,soft-voice,penalty"));

        Assert.Equal(plan.Pretraining, withTargets.Pretraining);
        Assert.Equal(3 * plan.Finetuning.Count, withTargets.Finetuning.Count);
        Assert.Equal(plan.Finetuning.Select(f => f.RelativeDirectory), withTargets.HeadlineFinetuning.Select(f => f.RelativeDirectory));
        var folders = withTargets.Finetuning.Where(f => f.Seed == 1 && f.Configuration == AblationPlan.Baseline).Select(f => f.RelativeDirectory.Replace('\\', '/'));
        Assert.Equal(["finetune/baseline-seed1", "finetune/baseline-seed1-soft-voice", "finetune/baseline-seed1-penalty"], folders);
    }

    [Fact]
    public void ATargetReplacesTheExperimentsLabelsAndPenaltyInTheFineTuningConfig()
    {
        var corpus = new AblationCorpus(["pre"], ["emo"], null, "test");
        var plan = AblationPlan.Create(AblationPlan.PaperTasks, [1], [["energy-variation"]])
            .WithTargets(FinetuneTarget.ParseList("intended,soft-voice,penalty", new PenaltyLossConfig { Alpha = 0.5 }));
        var configs = plan.Finetuning.Where(f => f.Configuration == AblationPlan.Baseline)
            .ToDictionary(f => f.TargetName!, f => AblationRunner.FinetuningConfig(f, null, corpus, AblationProfile.Tiny));

        Assert.Equal((FinetuneLabels.Intended, (PenaltyLossConfig?)null), (configs["intended"].Labels, configs["intended"].Penalty));
        Assert.Equal((FinetuneLabels.SoftVoice, (PenaltyLossConfig?)null), (configs["soft-voice"].Labels, configs["soft-voice"].Penalty));
        Assert.Equal((FinetuneLabels.Intended, 0.5, 1.0), (configs["penalty"].Labels, configs["penalty"].Penalty!.Alpha, configs["penalty"].Penalty!.Beta));
        Assert.Throws<ArgumentException>(() => FinetuneTarget.Parse("loud"));
    }

    [Fact]
    public void TheStudyTakesTheBestPaperConfigurationAndSharesTheMainPlansPretrainingFolders()
    {
        var main = AblationPlan.Create(AblationPlan.PaperTasks, [1, 2]);
        var runs = main.Configurations.SelectMany(c => main.Seeds.Select(seed => new RunMetrics(c, seed, null,
            MetricNames.Headline.ToDictionary(m => m, _ => c == "energy-variation+au-emotion" ? 0.5 + 0.01 * seed : 0.2 + 0.01 * seed))));
        var summary = AblationSummary.Compute(runs, AblationPlan.Baseline);

        var study = TargetStudy.Create(main, _root, summary, TargetStudy.Best, FinetuneTarget.ParseList("intended,penalty"));
        var fallback = TargetStudy.Create(main, _root, null, TargetStudy.Best, [FinetuneTarget.Intended]);

        Assert.Equal([AblationPlan.Baseline, "energy-variation+au-emotion"], study.Plan.Configurations);
        Assert.Equal(main.Pretraining.Where(p => p.Combination == "energy-variation+au-emotion").Select(p => p.RelativeDirectory), study.Plan.Pretraining.Select(p => p.RelativeDirectory));
        Assert.Contains("optimistic", study.Choice);
        Assert.Equal([AblationPlan.Baseline, "energy-variation+facial-activation+au-emotion"], fallback.Plan.Configurations);
        Assert.Contains("not finished", fallback.Choice);
        // Opt-in tasks join by name, with pre-training runs of their own; a name nobody registered is refused.
        var optIn = TargetStudy.Create(main, _root, summary, "best;clustering;facial-activation-regression", [FinetuneTarget.Intended]);
        Assert.Equal([AblationPlan.Baseline, "clustering", "facial-activation-regression", "energy-variation+au-emotion"], optIn.Plan.Configurations);
        Assert.Equal(["clustering-seed1", "clustering-seed2"], optIn.Plan.Pretraining.Where(p => p.Combination == "clustering").Select(p => Path.GetFileName(p.RelativeDirectory)));
        // "opt-in" names every registered opt-in task; --beyond adds it to an experiment's combinations once.
        var everyOptIn = TargetStudy.Create(main, _root, summary, "best;opt-in", [FinetuneTarget.Intended]);
        Assert.Equal(optIn.Plan.Configurations.Order(), everyOptIn.Plan.Configurations.Order());
        Assert.Contains("(opt-in: each registered opt-in task alone)", everyOptIn.Choice);
        Assert.Equal(("best", "best;opt-in"), (AblationProfile.Demo.StudyCombinations(), AblationProfile.Demo.StudyCombinations(withOptInTasks: true)));
        Assert.Equal("best;opt-in", AblationProfile.Tiny.StudyCombinations(withOptInTasks: true));
        var unknown = Assert.Throws<ArgumentException>(() => TargetStudy.Create(main, _root, null, "best;no-such-task", [FinetuneTarget.Intended]));
        Assert.Contains("no-such-task", unknown.Message);
        Assert.Contains("clustering", unknown.Message);
    }

    [Fact]
    public void TheStudyRecordIsReadBackAndABrokenOneIsAnErrorNamingTheFile()
    {
        Assert.Null(TargetStudy.Recorded(_root));
        var path = Path.Combine(_root, TargetStudy.FolderName, TargetStudy.RecordFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"combinations\": \"best;opt-in\", \"targets\": [\"intended\", \"penalty\"]}");
        var record = TargetStudy.Recorded(_root)!;
        Assert.Equal(("best;opt-in", "intended,penalty"), (record.Combinations, string.Join(',', record.Targets)));
        foreach (var broken in new[] { "{\"combinations\": \"best\"", "{\"combinations\": \"best\", \"targets\": []}" })
        {
            File.WriteAllText(path, broken);
            var error = Assert.Throws<InvalidDataException>(() => TargetStudy.Recorded(_root));
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void ATinyStudyWritesPerTargetTablesAgainstIntendedAndPerceivedLabelsBesideTheMainRunsAndItsPenaltyMatrix()
    {
        TorchRuntime.EnsureLoadable();
        var corpus = TinyAblationCorpus.Create(_root);
        var output = Path.Combine(_root, "ablation");
        var main = AblationPlan.Create(AblationPlan.PaperTasks, [1, 2], [["energy-variation"]]);
        var study = TargetStudy.Create(main, output, null, "energy-variation", FinetuneTarget.ParseList("intended,penalty"));

        var result = study.Run(corpus, AblationProfile.Tiny);

        Assert.Equal(2 + 8, result.TrainedRuns);
        Assert.False(File.Exists(Path.Combine(output, AblationRunner.RunsFileName)), "the study must not write the main tables");
        Assert.Equal("energy-variation", TargetStudy.Recorded(output)!.Combinations); // with its tables, for notebook 07's defaults
        Assert.Equal(["intended", "penalty"], result.Groups.Select(g => g.Target!.Name));
        Assert.All(result.Groups, g => Assert.NotEmpty(g.Perceived));
        var summary = File.ReadAllLines(Path.Combine(study.TablesDirectory, AblationRunner.SummaryFileName));
        Assert.StartsWith("configuration,evaluation,label_fraction,mode,target,", summary[0]);
        foreach (var reference in result.Groups[0].Perceived.Keys)
        {
            Assert.True(File.Exists(Path.Combine(study.TablesDirectory, AblationRunner.PerceivedSummaryFileName(reference))), reference);
        }
        var comparison = Assert.Single(TargetStudy.CompareTargets(result), c => c.Configuration == AblationPlan.Baseline).Summary;
        Assert.Equal(["intended", "penalty"], comparison.Configurations.Select(c => c.Configuration));
        var matrix = PenaltyMatrix.OfRun(study.RunDirectory(AblationPlan.Baseline, 1, "penalty"));
        Assert.True(matrix.Clips > 0);
        // Charts beside the tables, as the main ablation's: by target (intended and each perceived reference), the change
        // versus the intended target per configuration, the penalty matrix; self-contained.
        var charts = Directory.GetFiles(Path.Combine(study.TablesDirectory, Reproduction.ChartsFolder), "*.html").Select(Path.GetFileName).Order().ToArray();
        string[] expected = ["delta-vs-intended-baseline.html", "delta-vs-intended-energy-variation.html", "macro-f1-by-target.html",
            .. result.Groups[0].Perceived.Keys.Select(r => $"macro-f1-by-target-{r}.html"), "penalty-matrix.html"];
        Assert.Equal(expected.Order(), charts);
        Assert.All(charts, chart => Assert.Null(SerNotebooks.Charts.ChartFile.ExternalScriptSource(File.ReadAllText(Path.Combine(study.TablesDirectory, Reproduction.ChartsFolder, chart!)))));
    }
}
