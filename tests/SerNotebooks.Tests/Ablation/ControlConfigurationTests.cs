using SerNotebooks.Ablation;
using SerNotebooks.Cli.Commands;
using SerNotebooks.Evaluation;
using SerNotebooks.Evaluation.Statistics;
using SerNotebooks.Tests.Evaluation;

namespace SerNotebooks.Tests.Ablation;

/// <summary>Controls run beside the paper's configurations but apart from them: own runs, own Holm family, marked in every table.</summary>
public sealed class ControlConfigurationTests : IDisposable
{
    private static readonly string[] Controls = ["oracle-emotion", "shuffled-energy-variation"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sernb-controls-" + Guid.NewGuid().ToString("N"));

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
    public void ControlsAreSingleTaskConfigurationsAfterThePapersSevenAndSurviveOtherPlanShapes()
    {
        var plan = AblationPlan.Create(2).WithControls(Controls);

        Assert.Equal(["baseline", "energy-variation", "facial-activation", "au-emotion", "energy-variation+facial-activation",
            "energy-variation+au-emotion", "facial-activation+au-emotion", "energy-variation+facial-activation+au-emotion", .. Controls], plan.Configurations);
        Assert.Equal(2 * 9, plan.Pretraining.Count);
        Assert.Equal(2 * 10, plan.Finetuning.Count);
        Assert.Equal([.. AblationPlan.PaperTasks, .. Controls], plan.LabellingTasks);
        Assert.Equal(AblationPlan.PaperTasks, plan.Tasks); // the paper's combinations never include a control
        Assert.True(plan.IsControl("oracle-emotion"));
        Assert.False(plan.IsControl("au-emotion"));
        var oracle = plan.Finetuning.Single(f => f.Configuration == "oracle-emotion" && f.Seed == 2);
        Assert.Equal(Path.Combine("finetune", "oracle-emotion-seed2"), oracle.RelativeDirectory);
        Assert.Equal(["oracle-emotion"], oracle.Pretraining!.Tasks);

        var folded = plan.WithFolds(3).WithLabelFractions([0.5, 1]);
        Assert.Equal(Controls, folded.Controls);
        Assert.Equal(2 * 3 * 2 * 10, folded.Finetuning.Count);
    }

    [Fact]
    public void AnUnknownOrPaperTaskIsNotAControl()
    {
        var error = Assert.Throws<ArgumentException>(() => AblationPlan.Create(1).WithControls(["au-emotion"]));
        Assert.Contains("not a control task", error.Message);
        Assert.Contains("oracle-emotion", error.Message);
    }

    [Fact]
    public void ControlsAreHolmAdjustedInTheirOwnFamilySoTheyNeverChangeThePapersCorrection()
    {
        var runs = new List<RunMetrics>();
        var f1 = new Dictionary<string, double[]>
        {
            ["baseline"] = [0.30, 0.32, 0.31],
            ["energy-variation"] = [0.33, 0.36, 0.32],
            ["au-emotion"] = [0.31, 0.30, 0.35],
            ["oracle-emotion"] = [0.45, 0.44, 0.47],
        };
        foreach (var (configuration, values) in f1)
        {
            runs.AddRange(values.Select((v, i) => AblationSummaryTests.Run(configuration, i + 1, v, v, v)));
        }

        var withControl = AblationSummary.Compute(runs, AblationPlan.Baseline, controls: ["oracle-emotion"]);
        var paperOnly = AblationSummary.Compute(runs.Where(r => r.Configuration != "oracle-emotion"), AblationPlan.Baseline);

        foreach (var configuration in new[] { "energy-variation", "au-emotion" })
        {
            Assert.False(withControl[configuration].IsControl);
            Assert.Equal(paperOnly[configuration].VersusBaseline[MetricNames.MacroF1].TTestPHolm, withControl[configuration].VersusBaseline[MetricNames.MacroF1].TTestPHolm, 12);
        }
        var oracle = withControl["oracle-emotion"];
        Assert.True(oracle.IsControl);
        // A family of one: Holm leaves its p-value as it is.
        Assert.Equal(oracle.VersusBaseline[MetricNames.MacroF1].TTest.PValue, oracle.VersusBaseline[MetricNames.MacroF1].TTestPHolm, 12);
        Assert.Equal("oracle-emotion (control)", SerNotebooks.Charts.EvaluationCharts.Label(oracle));
    }

    [Fact]
    public void ReproduceRunsTheControlsMarksThemAndTheNotebooksPlanKeepsThem()
    {
        var (exit, output) = CliHarness.Run(ReproduceCommand.Create,
            ["reproduce", "--profile", "tiny", "--seeds", "2", "--controls", string.Join(',', Controls), "--no-notebooks", "--out", _root]);

        Assert.True(exit == 0, output);
        Assert.Contains("controls: oracle-emotion, shuffled-energy-variation", output);
        Assert.Contains("oracle-emotion (control)", output);
        Assert.Contains("separately across the 2 controls", output);
        var summary = ResultsTable.ReadSummaryCsv(Path.Combine(_root, AblationRunner.SummaryFileName));
        var control = summary.GetColumn<bool>(ResultsTable.ControlColumn);
        Assert.Equal(Controls, control.Observations.Where(o => o.Value).Select(o => o.Key));
        var paper = summary.RowKeys.Where(k => !control[k] && k != AblationPlan.Baseline).ToList();
        Assert.Equal(7, paper.Count);
        var raw = summary.GetColumn<double>("macro_f1_t_p");
        var holm = summary.GetColumn<double>("macro_f1_t_p_holm");
        var expected = HolmBonferroni.Adjust(paper.Select(k => raw[k]).ToArray());
        Assert.Equal(expected, paper.Select(k => holm[k]).ToArray());

        var plan = AblationRunner.ReadPlan(_root, seeds: 2);
        Assert.Equal(Controls, plan.Controls);
        Assert.Equal(Controls, AblationRunner.ReadPlan(Path.Combine(_root, "never-run"), seeds: 1, defaultControls: Controls).Controls);
    }
}
