using SerNotebooks.Ablation;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Ablation;

public class AblationProgressLinesTests
{
    private static TrainingProgress Training(TrainingPhase phase, IReadOnlyDictionary<string, double>? metrics = null, string? message = null) =>
        new(RunKind.Finetune, phase, 3, 20, 5, 9, 0.5, new Dictionary<string, double>(), TimeSpan.FromSeconds(75), null, metrics, message);

    [Fact]
    public void RunStartsEpochEndsSkipsAndRestartsGetOneLineEachAndStepsNone()
    {
        var start = AblationProgressLines.Describe(new AblationProgress(AblationStage.Finetuning, "finetune/baseline-seed1", 21, 45));
        var step = AblationProgressLines.Describe(new AblationProgress(AblationStage.Finetuning, "finetune/baseline-seed1", 21, 45, Training(TrainingPhase.Step)));
        var epoch = AblationProgressLines.Describe(new AblationProgress(AblationStage.Finetuning, "finetune/baseline-seed1", 21, 45,
            Training(TrainingPhase.EpochEnd, new Dictionary<string, double> { ["epoch"] = 3, ["train_loss"] = 1.23456, ["dev_loss"] = double.NaN, ["dev_macro_f1"] = 0.3 })));
        var skipped = AblationProgressLines.Describe(new AblationProgress(AblationStage.Pretraining, "pretrain/x", 0, 45, Training(TrainingPhase.Skipped)));
        var restarted = AblationProgressLines.Describe(new AblationProgress(AblationStage.Pretraining, "pretrain/x", 0, 45,
            Training(TrainingPhase.Resumed, message: "libtorch error; restarting")));

        Assert.Equal(new ProgressLine("[22/45] finetune/baseline-seed1"), start);
        Assert.Null(step);
        // Only the losses and dev macro-F1, invariant culture, an undefined value as a dash, and the elapsed time.
        Assert.Equal(new ProgressLine("  epoch 3/20 train_loss 1.235, dev_loss –, dev_macro_f1 0.3 (01:15)"), epoch);
        Assert.Equal(ProgressLineKind.Quiet, skipped?.Kind);
        Assert.Equal(new ProgressLine("  libtorch error; restarting", ProgressLineKind.Warning), restarted);
    }
}
