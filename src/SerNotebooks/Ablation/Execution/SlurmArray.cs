namespace SerNotebooks.Ablation.Execution;

/// <summary>
/// One Slurm job array of an ablation: task <c>i</c> trains <see cref="Runs"/>[i]. Its batch script is
/// <c>&lt;out&gt;/slurm/&lt;Name&gt;.sh</c> and the runs, one name a line, are in <c>&lt;Name&gt;.list</c> beside it.
/// </summary>
/// <param name="Name">File name of the script without extension ("pretrain", "finetune-energy-seed1").</param>
/// <param name="Stage">Pre-training or fine-tuning.</param>
/// <param name="Runs">The runs, in plan order.</param>
/// <param name="After">The pre-training task every run of this array loads its encoder from; null when it has finished already, or for runs without pre-training.</param>
public sealed record SlurmArray(string Name, AblationStage Stage, IReadOnlyList<AblationJob> Runs, SlurmDependency? After)
{
    /// <summary>Slurm's job name (squeue's NAME column).</summary>
    public string JobName => "sernb-" + Name;
}

/// <summary>Task <paramref name="Task"/> of <paramref name="Array"/>: <c>--dependency=afterok:&lt;array job id&gt;_&lt;Task&gt;</c>.</summary>
public sealed record SlurmDependency(SlurmArray Array, int Task);
