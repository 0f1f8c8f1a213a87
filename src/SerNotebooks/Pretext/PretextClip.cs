using SerNotebooks.Data;
using SerNotebooks.Features;

namespace SerNotebooks.Pretext;

/// <summary>
/// Everything a pretext task may look at for one clip: its manifest row, the absolute paths of its
/// face data (null when the corpus has none), its acoustic features and the chunk plan that the model
/// will see, so chunk labels line up with model chunks by construction.
/// </summary>
public sealed record PretextClip(
    ManifestEntry Entry,
    string AudioPath,
    string? OpenFacePath,
    string? VideoPath,
    FeatureSet Features,
    ChunkPlan Chunks)
{
    public string Id => Entry.Id;

    public string Speaker => Entry.Speaker;
}
