using SerNotebooks.Charts;
using SerNotebooks.Faces;

namespace SerNotebooks.Pretext.Tasks.AuEmotion;

/// <summary>
/// What task 3 saw in one clip: per class the share of usable frames in which its prototype was present, the
/// resulting label, and the track (for the AU heatmap), or why the clip is unusable.
/// </summary>
public sealed record AuEmotionAnalysis(
    string ClipId,
    string? Label,
    int? ClassIndex,
    int UsableFrames,
    IReadOnlyDictionary<string, double> Shares,
    string? SkipReason,
    OpenFaceTrack? Track)
{
    /// <summary>The clip's AU intensities over time (every AUxx_r column of the CSV), or null when it could not be read.</summary>
    public AuIntensityMatrix? IntensityMatrix => Track is { } track && track.AuIntensity.Count > 0 ? AuIntensityMatrix.FromTrack(track) : null;
}

/// <summary>
/// Task 3, AU-combination emotion (docs/METHOD.md, "Task 3: AU-based emotion"): per usable frame (success = 1,
/// confidence ≥ threshold) a prototype is present when all AUs of one of its enabled rules are present; the
/// clip's label is the prototype present in the largest share of usable frames, <i>neutral</i> when that share
/// is below <see cref="AuEmotionOptions.MinimumShare"/>. Ties (equal frame counts) go to the class listed first
/// in the rule table. Needs an OpenFace CSV: a clip without one is skipped for this task.
/// </summary>
public sealed class AuEmotionTask : IPretextTask, IPretextTaskClipChart
{
    public const string TaskName = "au-emotion";

    public AuEmotionTask(AuEmotionOptions? options = null)
    {
        Options = options ?? new AuEmotionOptions();
        Table = AuPrototypeTable.Load(Options.PrototypeTablePath);
    }

    public AuEmotionOptions Options { get; }

    public AuPrototypeTable Table { get; }

    public string Name => TaskName;

    public string Description =>
        "Emotion prototype (EMFACS-style AU combination) present in the largest share of video frames, neutral when none is frequent enough.";

    public LabelGranularity Granularity => LabelGranularity.Utterance;

    public IReadOnlyList<string> Classes => Table.Classes;

    public TaskMeasurement Measure(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var analysis = Analyse(clip);
        return analysis.SkipReason is { } reason
            ? TaskMeasurement.Skipped(clip.Id, clip.Speaker, FaceSources.OpenFace, reason)
            : new TaskMeasurement(clip.Id, clip.Speaker, null, analysis.ClassIndex, FaceSources.OpenFace, null);
    }

    public AuEmotionAnalysis Analyse(PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.OpenFacePath is not { } path)
        {
            return Skip(clip.Id, "the clip has no OpenFace CSV (AUs come only from OpenFace)", null);
        }
        return Analyse(clip.Id, path);
    }

    public AuEmotionAnalysis Analyse(string clipId, string csvPath)
    {
        var columns = Options.PresenceMode == AuPresenceMode.PresenceColumn
            ? new OpenFaceColumns { AuPresences = Table.ActionUnits, AllActionUnits = true }
            : new OpenFaceColumns { AuIntensities = Table.ActionUnits, AllActionUnits = true };
        OpenFaceTrack track;
        try
        {
            track = OpenFaceCsvReader.Read(csvPath, columns);
        }
        catch (Exception error) when (error is OpenFaceFormatException or IOException or UnauthorizedAccessException)
        {
            return Skip(clipId, FaceDataChecks.Describe(csvPath, error), null);
        }
        var problem = FaceDataChecks.TrackProblem(track, Options.ConfidenceThreshold, Options.ExpectedFrameRate,
            Options.FrameRateTolerance, Options.AcceptAnyFrameRate);
        if (problem is not null)
        {
            return Skip(clipId, problem, track);
        }
        var counts = CountPrototypeFrames(track, out var usable);
        var shares = Table.Classes.Take(Table.Classes.Count - 1)
            .ToDictionary(c => c, c => counts[c] / (double)usable, StringComparer.Ordinal);
        // Strictly greater keeps the earliest class on equal counts: the documented tie-break.
        string? best = null;
        foreach (var name in Table.Classes.Take(Table.Classes.Count - 1))
        {
            if (best is null || counts[name] > counts[best])
            {
                best = name;
            }
        }
        var label = best is not null && shares[best] >= Options.MinimumShare && counts[best] > 0 ? best : AuPrototypeTable.Neutral;
        var index = Table.Classes.ToList().IndexOf(label);
        return new AuEmotionAnalysis(clipId, label, index, usable, shares, null, track);
    }

    /// <summary>Per usable frame, the prototype classes present (after the specificity rule), for charts.</summary>
    public IReadOnlyList<string>[] PresentPerFrame(OpenFaceTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return Enumerable.Range(0, track.FrameCount)
            .Select(f => track.IsTracked(f, Options.ConfidenceThreshold) ? PresentIn(track, f) : (IReadOnlyList<string>)[])
            .ToArray();
    }

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        // No threshold to fit: the labeller carries the rules' identity and options so a run records what made its labels.
        return new AuEmotionLabeller(new AuEmotionState(TaskName, Table.Source, Table.RulesHash, Table.Classes,
            Options.PresenceMode.ToString(), Options.IntensityThreshold, Options.MinimumShare, Options.PreferSpecificPrototype,
            Options.ConfidenceThreshold, training.Count(m => m.IsUsable)));
    }

    /// <summary>
    /// The clip's AU intensities over time (<see cref="PretextCharts.AuIntensityHeatmap(string, AuIntensityMatrix)"/>),
    /// what the rules read; null when the clip has no readable OpenFace CSV.
    /// </summary>
    public PretextClipChart? ClipChart(PretextClip clip, ITaskLabeller labeller)
    {
        ArgumentNullException.ThrowIfNull(clip);
        PretextClipCharts.LabellerOf<AuEmotionLabeller>(labeller, TaskName);
        return Analyse(clip).IntensityMatrix is { } intensities
            ? new PretextClipChart("au-intensity", $"AU intensity — {clip.Id}", PretextCharts.AuIntensityHeatmap(clip.Id, intensities))
            : null;
    }

    private Dictionary<string, int> CountPrototypeFrames(OpenFaceTrack track, out int usable)
    {
        var counts = Table.Classes.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        usable = 0;
        for (var f = 0; f < track.FrameCount; f++)
        {
            if (!track.IsTracked(f, Options.ConfidenceThreshold))
            {
                continue;
            }
            usable++;
            foreach (var name in PresentIn(track, f))
            {
                counts[name]++;
            }
        }
        return counts;
    }

    private List<string> PresentIn(OpenFaceTrack track, int frame)
    {
        var present = Table.Prototypes.Where(p => p.ActionUnits.All(au => IsPresent(track, au, frame))).ToList();
        if (Options.PreferSpecificPrototype && present.Count > 1)
        {
            present = present
                .Where(p => !present.Any(q => q.Class != p.Class && q.ActionUnits.Count > p.ActionUnits.Count
                                               && p.ActionUnits.All(q.ActionUnits.Contains)))
                .ToList();
        }
        return present.Select(p => p.Class).Distinct().ToList();
    }

    private bool IsPresent(OpenFaceTrack track, string actionUnit, int frame) =>
        Options.PresenceMode == AuPresenceMode.PresenceColumn
            ? track.AuPresence[actionUnit][frame] >= 0.5
            : track.AuIntensity.TryGetValue(actionUnit, out var intensity) && intensity[frame] >= Options.IntensityThreshold;

    private static AuEmotionAnalysis Skip(string clipId, string reason, OpenFaceTrack? track) =>
        new(clipId, null, null, 0, new Dictionary<string, double>(), reason, track);
}
