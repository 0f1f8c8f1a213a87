namespace SerNotebooks.Pretext.Tasks.EnergyVariation;

/// <summary>Settings of <see cref="EnergyVariationTask"/>.</summary>
public sealed record EnergyVariationOptions
{
    /// <summary>
    /// A chunk needs at least this many original speech frames for its standard deviation to mean anything;
    /// with fewer (mostly pauses) it gets no label. 10 frames = 100 ms.
    /// </summary>
    public int MinSpeechFrames { get; init; } = 10;

    /// <summary>
    /// When true, each speaker's chunk values are z-scored with that speaker's own mean and standard deviation
    /// before thresholding, so a naturally lively voice does not make every chunk "high". The statistics come
    /// from the speaker's own unlabelled chunk values (no emotion label is read); for a speaker outside the fit
    /// set they are computed from that speaker's clips when labelling (see <see cref="EnergyVariationLabeller.AdaptTo"/>).
    /// </summary>
    public bool PerSpeakerNormalisation { get; init; }

    public void Validate()
    {
        if (MinSpeechFrames < 2)
        {
            throw new ArgumentException($"EnergyVariationOptions.MinSpeechFrames must be ≥ 2 (a standard deviation needs two frames), got {MinSpeechFrames}.");
        }
    }
}
