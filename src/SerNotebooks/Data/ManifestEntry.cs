namespace SerNotebooks.Data;

/// <summary>
/// One clip of a corpus manifest. Paths are relative to the manifest's data root (forward slashes).
/// Optional fields are null when a corpus does not have them (an unlabelled corpus has no emotion).
/// </summary>
public sealed record ManifestEntry
{
    public required string Id { get; init; }
    public required string AudioPath { get; init; }
    public string? OpenFacePath { get; init; }
    public string? VideoPath { get; init; }
    public required string Speaker { get; init; }
    public string? Sex { get; init; }
    public int? Age { get; init; }
    public string? Sentence { get; init; }
    public string? Emotion { get; init; }
    public string? Level { get; init; }
    public string? Split { get; init; }

    /// <summary>Columns beyond the core schema, kept verbatim (for example a demo clip's latent state).</summary>
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();
}
