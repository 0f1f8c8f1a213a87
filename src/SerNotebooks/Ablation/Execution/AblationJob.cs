using SerNotebooks.Training;

namespace SerNotebooks.Ablation.Execution;

/// <summary>One run of an ablation, ready to train anywhere: its folder, its config and the run it must wait for.</summary>
/// <param name="Stage">Pre-training or fine-tuning.</param>
/// <param name="Name">The folder relative to the ablation's output folder, with '/' ("pretrain/energy-variation-seed1").</param>
/// <param name="Directory">The run folder.</param>
/// <param name="Config">The run's config.</param>
/// <param name="After">The pre-training job whose encoder a fine-tuning starts from (null: none).</param>
public sealed record AblationJob(AblationStage Stage, string Name, string Directory, TrainingConfig Config, AblationJob? After)
{
    /// <summary>Where executors that start the run elsewhere (a worker process, a cluster job) find its config: <c>&lt;out&gt;/configs/&lt;name&gt;.json</c>.</summary>
    public string ConfigFile(string root) => Path.Combine(Path.GetFullPath(root), ConfigsFolder, Name + ".json");

    public const string ConfigsFolder = "configs";

    /// <summary>
    /// Writes <see cref="ConfigFile"/> (atomically) and checks that loading it gives this very config: a run started
    /// from the file must have the identity of one started in this process.
    /// </summary>
    public string WriteConfigFile(string root)
    {
        var path = ConfigFile(root);
        var canonical = Config.CanonicalJson();
        if (!File.Exists(path) || File.ReadAllText(path) != canonical)
        {
            AtomicFile.WriteAllText(path, canonical);
        }
        if (TrainingConfig.Load(path).CanonicalJson() != canonical)
        {
            throw new InvalidOperationException($"{path}: the config does not load back unchanged; the run cannot be started from a file");
        }
        return path;
    }
}
