namespace SerNotebooks.Ablation.Execution;

/// <summary>
/// Groups an ablation's unfinished runs into Slurm job arrays: one array of every pre-training run, one array per
/// pre-training run holding the fine-tunings that load its encoder (each waiting for exactly that array task, so a
/// fine-tuning starts as soon as its own encoder is ready, not when every pre-training is), and one array of the
/// fine-tunings without pre-training (the baseline), which can start at once.
/// </summary>
public static class SlurmPlan
{
    public const string PretrainingArray = "pretrain";
    public const string NoPretrainingArray = "finetune-no-pretraining";

    /// <summary>The arrays in submission order: pre-training first (the others refer to its job id).</summary>
    /// <param name="unfinished">The runs to train, in plan order (<see cref="AblationRunner.Jobs"/> without the finished ones).</param>
    public static IReadOnlyList<SlurmArray> Create(IReadOnlyList<AblationJob> unfinished)
    {
        ArgumentNullException.ThrowIfNull(unfinished);
        var arrays = new List<SlurmArray>();
        var pretraining = unfinished.Where(j => j.Stage == AblationStage.Pretraining).ToList();
        SlurmArray? pretrainArray = null;
        if (pretraining.Count > 0)
        {
            pretrainArray = new SlurmArray(PretrainingArray, AblationStage.Pretraining, pretraining, After: null);
            arrays.Add(pretrainArray);
        }
        var finetuning = unfinished.Where(j => j.Stage == AblationStage.Finetuning).ToList();
        var withoutPretraining = finetuning.Where(j => j.After is null).ToList();
        if (withoutPretraining.Count > 0)
        {
            arrays.Add(new SlurmArray(NoPretrainingArray, AblationStage.Finetuning, withoutPretraining, After: null));
        }
        foreach (var group in finetuning.Where(j => j.After is not null).GroupBy(j => j.After!))
        {
            var task = pretraining.IndexOf(group.Key);
            // A finished pre-training is not in the array: its fine-tunings need not wait for anything.
            var after = task < 0 ? null : new SlurmDependency(pretrainArray!, task);
            arrays.Add(new SlurmArray("finetune-" + FileName(group.Key.Name), AblationStage.Finetuning, group.ToList(), after));
        }
        return arrays;
    }

    /// <summary>"pretrain/energy-variation-seed1" → "energy-variation-seed1": the run's folder name, safe in a file name.</summary>
    private static string FileName(string runName)
    {
        var leaf = runName[(runName.LastIndexOf('/') + 1)..];
        return new string(leaf.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
    }
}
