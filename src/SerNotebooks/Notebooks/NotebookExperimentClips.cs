using SerNotebooks.Data;
using SerNotebooks.Pretext;

namespace SerNotebooks.Notebooks;

/// <summary>
/// One clip of an experiment's corpus as the pretext tasks see it (features from the experiment's cache, the
/// profile's chunk plan), so a notebook can draw what a task measured for a single clip.
/// </summary>
public static class NotebookExperimentClips
{
    /// <summary>The pre-training clip <paramref name="clipId"/>, built exactly as the labelling pipeline builds it.</summary>
    /// <exception cref="KeyNotFoundException">No clip of the pre-training manifest has that id.</exception>
    public static PretextClip PretrainingClip(this NotebookExperiment experiment, string clipId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var manifest = experiment.PretrainingManifest;
        var entry = manifest.Entries.FirstOrDefault(e => e.Id == clipId)
            ?? throw new KeyNotFoundException($"clip '{clipId}' is not in the pre-training manifest ({experiment.Corpus.PretrainingManifests[0]})");
        return Build(experiment, manifest, entry);
    }

    /// <summary>The example clip of <paramref name="task"/> (<see cref="ExampleClips.Pick"/>) from a labelling of the pre-training corpus.</summary>
    public static PretextClip ExampleClip(this NotebookExperiment experiment, PretextLabellingResult labels, string task)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(labels);
        var entry = ExampleClips.Pick(labels, task);
        return Build(experiment, labels.ManifestOf(entry.Id), entry);
    }

    /// <summary>The registered task <paramref name="name"/> (the experiment's registry) with the default options the labelling uses.</summary>
    public static IPretextTask Task(this NotebookExperiment experiment, string name)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return experiment.Plan.Registry.Get(name);
    }

    private static PretextClip Build(NotebookExperiment experiment, Manifest manifest, ManifestEntry entry) =>
        new PretextLabelling(experiment.Plan.Registry, experiment.Features, experiment.Profile.Chunking).BuildClip(manifest, entry);
}
