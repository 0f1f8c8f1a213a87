using SerNotebooks.Faces;
using SerNotebooks.Pretext.Tasks.FacialActivation;

namespace SerNotebooks.Pretext.Tasks.AuEmotion;

/// <summary>How task 3 decides that an AU is present in a frame.</summary>
public enum AuPresenceMode
{
    /// <summary>OpenFace's presence classifier: <c>AUxx_c = 1</c>.</summary>
    PresenceColumn,

    /// <summary>OpenFace's intensity regressor: <c>AUxx_r</c> ≥ <see cref="AuEmotionOptions.IntensityThreshold"/>.</summary>
    IntensityThreshold,
}

/// <summary>Options of <see cref="AuEmotionTask"/> (task 3). Defaults are the project's documented choices.</summary>
public sealed record AuEmotionOptions
{
    /// <summary>The rule table; null = data-manifests/pretext/au-emotion-prototypes.csv (see <see cref="AuPrototypeTable.Load"/>).</summary>
    public string? PrototypeTablePath { get; init; }

    public AuPresenceMode PresenceMode { get; init; } = AuPresenceMode.PresenceColumn;

    /// <summary>
    /// Intensity (0–5) at which an AU counts as present in <see cref="AuPresenceMode.IntensityThreshold"/> mode;
    /// 1 is FACS "A" (trace) on OpenFace's scale. AU28 has no intensity output, so a rule using it cannot fire.
    /// </summary>
    public double IntensityThreshold { get; init; } = 1.0;

    /// <summary>
    /// The winning prototype must be present in at least this share of the usable frames, else the clip is
    /// <i>neutral</i>. 0.2 = a held expression (0.6 s of a 3 s clip), not a flicker of co-occurring AUs.
    /// </summary>
    public double MinimumShare { get; init; } = 0.2;

    /// <summary>
    /// When the AUs of one present prototype contain another present prototype's AUs (fear ⊃ surprise in the
    /// default table), the frame counts for the more specific one only; otherwise fear could never outscore
    /// surprise. Off = every fully present prototype counts.
    /// </summary>
    public bool PreferSpecificPrototype { get; init; } = true;

    /// <summary>Frames with OpenFace <c>confidence</c> below this (or <c>success = 0</c>) are not usable.</summary>
    public double ConfidenceThreshold { get; init; } = 0.8;

    /// <summary>The frame rate the corpus contract promises (30 fps); see <see cref="FacialActivationOptions.ExpectedFrameRate"/>.</summary>
    public double ExpectedFrameRate { get; init; } = 30;

    public double FrameRateTolerance { get; init; } = 0.05;

    /// <summary>
    /// Shares of frames do not depend on the frame rate, but a rate the corpus does not promise usually means a
    /// mismatched or re-encoded file, so by default such clips are skipped with a reason, as for task 2.
    /// </summary>
    public bool AcceptAnyFrameRate { get; init; }
}
