using SerNotebooks.Data;
using SerNotebooks.Features;

namespace SerNotebooks.Pretext;

/// <summary>What pre-training asks a label source for.</summary>
/// <param name="Manifests">The run's manifests (every clip of them may be asked for).</param>
/// <param name="TaskNames">Registered task names, in the config's order.</param>
/// <param name="TrainingClipIds">Clips of the training split: thresholds are fitted on these only.</param>
/// <param name="Chunking">The chunking the model sees; chunk labels must have ChunkCount entries.</param>
/// <param name="Features">The extractor (with its cache) the run uses.</param>
/// <param name="Windowing">Whether the run sees each clip's chunk plan or each of its windows (labels then name the windows, <see cref="Features.Shards.ClipWindows.RowId"/>).</param>
public sealed record PretextLabelRequest(
    IReadOnlyList<Manifest> Manifests,
    IReadOnlyList<string> TaskNames,
    IReadOnlySet<string> TrainingClipIds,
    ChunkingConfig Chunking,
    FeatureExtractor Features,
    Features.Shards.ShardWindowing Windowing = Features.Shards.ShardWindowing.ChunkPlan);

/// <summary>
/// Where pre-training gets its labels: one <see cref="PretextLabelSet"/> per requested task (the labelling
/// pipeline implements this; <see cref="PretextLabelSetDirectory"/> reads saved label files).
/// </summary>
public interface IPretextLabelSource
{
    IReadOnlyList<PretextLabelSet> GetLabelSets(PretextLabelRequest request);
}
