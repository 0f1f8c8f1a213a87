using Deedle;
using SerNotebooks.Data;

namespace SerNotebooks.Notebooks;

/// <summary>
/// The evaluation protocol of an experiment made visible: which speakers and how many clips of the emotion
/// corpus are in each split, and whether any speaker is in more than one (CREMA-D's protocol is speaker
/// independent: the test speakers are never seen in training). The experiment's speaker → split map overrides
/// the manifest's split column, as in training; the tables themselves are <see cref="CorpusTables"/>'.
/// </summary>
public static class ExperimentSplits
{
    /// <summary>What a clip with neither a speaker split nor a split column belongs to.</summary>
    public const string NoSplit = CorpusTables.NoSplit;

    /// <summary>The split each clip of the emotion corpus is trained or evaluated in.</summary>
    public static string SplitOf(this NotebookExperiment experiment, ManifestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return CorpusTables.SplitOf(entry, experiment.Corpus.SpeakerSplits);
    }

    /// <summary>One row per split (train, dev, test first, then any other): clips, speakers, and the speaker ids.</summary>
    public static Frame<string, string> SplitFrame(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return CorpusTables.SpeakersPerSplit(experiment.EmotionManifest, experiment.Corpus.SpeakerSplits)
            .Columns[["clips", "speakers", "speaker ids"]];
    }

    /// <summary>Speakers with clips in more than one split (empty for a speaker-independent protocol).</summary>
    public static IReadOnlyList<string> SpeakersInSeveralSplits(this NotebookExperiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return CorpusTables.SpeakersInSeveralSplits(experiment.EmotionManifest, experiment.Corpus.SpeakerSplits);
    }
}
