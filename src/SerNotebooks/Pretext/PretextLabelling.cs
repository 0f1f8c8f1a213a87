using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Features.Shards;
using SerNotebooks.Pretext.Tasks.Controls;

namespace SerNotebooks.Pretext;

/// <summary>Where a labelling run is: <see cref="Stage"/> is "measure", "fit" or "label".</summary>
public sealed record PretextLabellingProgress(string Stage, int Completed, int Total, string? Item);

/// <summary>A clip that a task could not label, and why.</summary>
public sealed partial record SkippedClip(string TaskName, string ClipId, string Speaker, string Reason)
{
    /// <summary>
    /// The reason without its specifics, for grouping in summaries: a leading file path ("path: ...") is dropped,
    /// then the text up to the next ':' is kept, with parenthesised details removed and numbers written as N.
    /// </summary>
    public string Category
    {
        get
        {
            var text = Reason;
            var colon = text.IndexOf(": ", StringComparison.Ordinal);
            while (colon > 0 && LooksLikePath(text[..colon]))
            {
                text = text[(colon + 2)..];
                colon = text.IndexOf(": ", StringComparison.Ordinal);
            }
            if (colon > 0)
            {
                text = text[..colon];
            }
            text = Parenthesised().Replace(text, string.Empty);
            text = Number().Replace(text, "N");
            return Spaces().Replace(text, " ").Trim();
        }
    }

    private static bool LooksLikePath(string text) =>
        text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"\([^)]*\)")]
    private static partial System.Text.RegularExpressions.Regex Parenthesised();

    [System.Text.RegularExpressions.GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial System.Text.RegularExpressions.Regex Number();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Spaces();
}

/// <summary>Everything one labelling run produced.</summary>
public sealed record PretextLabellingResult(
    IReadOnlyList<Manifest> Manifests,
    IReadOnlyList<string> TaskNames,
    IReadOnlyDictionary<string, PretextLabelSet> LabelSets,
    IReadOnlyDictionary<string, IReadOnlyList<TaskMeasurement>> Measurements,
    IReadOnlyDictionary<string, ITaskLabeller> Labellers,
    IReadOnlyList<SkippedClip> Skipped,
    IReadOnlyList<string> TrainingClipIds,
    string FitScope)
{
    /// <summary>Every clip of the run, manifest by manifest, in manifest order.</summary>
    public IReadOnlyList<ManifestEntry> Entries { get; } = Manifests.SelectMany(m => m.Entries).ToList();

    public int ClipCount => Entries.Count;

    /// <summary>The manifest a clip of this run comes from.</summary>
    public Manifest ManifestOf(string clipId) =>
        Manifests.FirstOrDefault(m => m.Entries.Any(e => e.Id == clipId))
        ?? throw new KeyNotFoundException($"clip '{clipId}' is not part of this labelling run");

    /// <summary>The manifests' names, joined for titles.</summary>
    public string CorpusName => string.Join(" + ", Manifests.Select(m => m.Metadata.Name));
}

/// <summary>
/// Labels a whole corpus for a set of registered pretext tasks:
/// <list type="number">
/// <item>build a <see cref="PretextClip"/> per manifest row (features from the <see cref="FeatureExtractor"/>
/// and its cache, the model's chunk plan, face paths resolved against the data root, null when absent);</item>
/// <item>measure every clip for every task, in parallel, keeping manifest order;</item>
/// <item>fit each task on the training clips (see <see cref="SelectTrainingClips"/>);</item>
/// <item>label every clip with the fitted labeller.</item>
/// </list>
/// A clip that fails (unreadable audio, a task that throws, a measurement with a skip reason) is reported in
/// <see cref="PretextLabellingResult.Skipped"/> and left out of that task only; a run never throws because
/// of one clip. Unreadable audio means no chunk plan, so such a clip is skipped by every task.
/// </summary>
public sealed class PretextLabelling : IPretextLabelSource
{
    /// <summary>The split value whose clips thresholds are fitted on.</summary>
    public const string TrainingSplit = "train";

    private readonly PretextTaskRegistry _registry;
    private readonly FeatureExtractor _extractor;
    private readonly ChunkingConfig _chunking;

    public PretextLabelling(PretextTaskRegistry registry, FeatureExtractor extractor, ChunkingConfig? chunking = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(extractor);
        _registry = registry;
        _extractor = extractor;
        _chunking = chunking ?? new ChunkingConfig();
        _chunking.Validate();
    }

    /// <summary>At most this many clips are processed at once (default: processor count).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// <see cref="ShardWindowing.Windows"/> labels each C·m-frame window of a longer clip as a clip of its own, named
    /// <see cref="ClipWindows.RowId"/>, as windowed pre-training sees it (Features/Shards/ClipWindows); the default labels
    /// each clip's chunk plan.
    /// </summary>
    public ShardWindowing Windowing { get; init; } = ShardWindowing.ChunkPlan;

    /// <summary>
    /// The clips thresholds are fitted on: those whose split is "train"; when no clip has a split at all, every
    /// clip — an unlabelled pre-training corpus has no splits, and its labels are derived from the signal
    /// alone, so fitting on all of it leaks nothing about emotion. A manifest with splits but no "train" clip is
    /// an error (fitting on test clips would be silent leakage).
    /// </summary>
    public static (IReadOnlyList<string> ClipIds, string Scope) SelectTrainingClips(params IReadOnlyList<Manifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var entries = manifests.SelectMany(m => m.Entries).ToList();
        var withSplit = entries.Where(e => !string.IsNullOrWhiteSpace(e.Split)).ToList();
        if (withSplit.Count == 0)
        {
            return (entries.Select(e => e.Id).ToList(), "all clips (the manifest has no splits: unlabelled pre-training corpus)");
        }
        var training = withSplit.Where(e => string.Equals(e.Split, TrainingSplit, StringComparison.OrdinalIgnoreCase)).Select(e => e.Id).ToList();
        if (training.Count == 0)
        {
            throw new InvalidOperationException(
                $"manifest '{string.Join(" + ", manifests.Select(m => m.Metadata.Name))}' has splits ({string.Join(", ", withSplit.Select(e => e.Split).Distinct())}) but no '{TrainingSplit}' clip to fit thresholds on");
        }
        return (training, $"split '{TrainingSplit}' ({training.Count} of {entries.Count} clips)");
    }

    /// <summary>The <see cref="PretextClip"/> of one manifest row (features from the extractor's cache when present).</summary>
    /// <exception cref="Audio.AudioFormatException">The clip's audio cannot be read.</exception>
    public PretextClip BuildClip(Manifest manifest, ManifestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(entry);
        var audio = manifest.Resolve(entry.AudioPath);
        var features = _extractor.Extract(audio);
        var plan = DynamicChunker.Plan(features.Frames, _chunking, _extractor.Config.LogMel);
        return new PretextClip(
            entry,
            audio,
            entry.OpenFacePath is null ? null : manifest.Resolve(entry.OpenFacePath),
            entry.VideoPath is null ? null : manifest.Resolve(entry.VideoPath),
            features,
            plan);
    }

    /// <summary>
    /// Runs the pipeline on one manifest. <paramref name="trainingClipIds"/> overrides <see cref="SelectTrainingClips"/>
    /// (for example the training fold of a cross-validation).
    /// </summary>
    public PretextLabellingResult Run(
        Manifest manifest,
        IEnumerable<string> taskNames,
        IReadOnlyCollection<string>? trainingClipIds = null,
        IProgress<PretextLabellingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Run([manifest], taskNames, trainingClipIds, progress, cancellationToken);

    /// <summary>
    /// Runs the pipeline on several manifests at once (for example a pre-training corpus and a labelled one):
    /// thresholds are fitted on the training clips of all of them together. Clip ids must be unique across them.
    /// </summary>
    public PretextLabellingResult Run(
        IReadOnlyList<Manifest> manifests,
        IEnumerable<string> taskNames,
        IReadOnlyCollection<string>? trainingClipIds = null,
        IProgress<PretextLabellingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(taskNames);
        if (manifests.Count == 0)
        {
            throw new ArgumentException("no manifest given", nameof(manifests));
        }
        var items = manifests.SelectMany(m => m.Entries.Select(e => (Manifest: m, Entry: e))).ToList();
        var duplicate = items.GroupBy(i => i.Entry.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"clip id '{duplicate.Key}' appears in more than one manifest ({string.Join(", ", duplicate.Select(i => i.Manifest.Metadata.Name))})", nameof(manifests));
        }
        var tasks = taskNames.Distinct(StringComparer.Ordinal).Select(_registry.Get).ToList();
        if (tasks.Count == 0)
        {
            throw new ArgumentException("no pretext task selected", nameof(taskNames));
        }
        var entries = items.Select(i => i.Entry).ToList();
        if (tasks.OfType<ICorpusRequirement>().Select(t => t.Refusal(entries)).FirstOrDefault(r => r is not null) is { } refusal)
        {
            throw new ArgumentException(refusal, nameof(taskNames));
        }
        string scope;
        IReadOnlyList<string> trainingIds;
        if (trainingClipIds is null)
        {
            (trainingIds, scope) = SelectTrainingClips(manifests);
        }
        else
        {
            var known = items.Select(i => i.Entry.Id).ToHashSet(StringComparer.Ordinal);
            var unknown = trainingClipIds.Where(id => !known.Contains(id)).Take(3).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"training clips not in the manifest: {string.Join(", ", unknown)}", nameof(trainingClipIds));
            }
            trainingIds = trainingClipIds.Distinct(StringComparer.Ordinal).ToList();
            scope = $"caller-supplied ({trainingIds.Count} of {items.Count} clips)";
        }

        var measured = Measure(items, tasks, progress, cancellationToken);
        if (Windowing == ShardWindowing.Windows)
        {
            // The windows stand in for their clips from here on: label sets, reports and the result's manifests name them.
            var expanded = new List<Manifest>(manifests.Count);
            var next = 0;
            foreach (var manifest in manifests)
            {
                var windows = new List<ManifestEntry>(manifest.Entries.Count);
                foreach (var _ in manifest.Entries)
                {
                    windows.AddRange(measured[next++].Windows);
                }
                expanded.Add(new Manifest(manifest.Metadata, manifest.DataRoot, windows));
            }
            manifests = expanded;
        }
        var rows = measured.SelectMany(row => row.Windows.Select((entry, w) => (Entry: entry, Measurements: row.Measurements[w]))).ToList();

        var trainingSet = trainingIds.ToHashSet(StringComparer.Ordinal);
        var skipped = new List<SkippedClip>();
        var labelSets = new Dictionary<string, PretextLabelSet>(StringComparer.Ordinal);
        var labellers = new Dictionary<string, ITaskLabeller>(StringComparer.Ordinal);
        var byTask = new Dictionary<string, IReadOnlyList<TaskMeasurement>>(StringComparer.Ordinal);
        for (var t = 0; t < tasks.Count; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var task = tasks[t];
            var taskMeasurements = rows.Select(row => row.Measurements[t]).ToList();
            byTask[task.Name] = taskMeasurements;
            progress?.Report(new PretextLabellingProgress("fit", t, tasks.Count, task.Name));
            var training = taskMeasurements.Where((m, i) => m.IsUsable && trainingSet.Contains(SourceClipId(rows[i].Entry))).ToList();
            ITaskLabeller? labeller = null;
            string? fitFailure = null;
            if (training.Count == 0)
            {
                fitFailure = "task not fitted: no usable training clip";
            }
            else
            {
                try
                {
                    labeller = task.Fit(training);
                    if (labeller is ISpeakerAdaptiveLabeller adaptive)
                    {
                        labeller = adaptive.AdaptTo(taskMeasurements);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or InvalidDataException)
                {
                    fitFailure = $"task not fitted: {e.Message}";
                }
            }

            var byClip = new Dictionary<string, ClipTaskLabels>(StringComparer.Ordinal);
            for (var i = 0; i < taskMeasurements.Count; i++)
            {
                var m = taskMeasurements[i];
                var entry = rows[i].Entry;
                if (!m.IsUsable)
                {
                    skipped.Add(new SkippedClip(task.Name, entry.Id, entry.Speaker, m.SkipReason!));
                    continue;
                }
                if (labeller is null)
                {
                    skipped.Add(new SkippedClip(task.Name, entry.Id, entry.Speaker, fitFailure!));
                    continue;
                }
                var labels = labeller.Label(m);
                if (labels.HasAnyLabel)
                {
                    byClip[entry.Id] = labels;
                }
                else
                {
                    skipped.Add(new SkippedClip(task.Name, entry.Id, entry.Speaker,
                        labels.SkipReason ?? "no label: no chunk had enough usable data"));
                }
            }
            progress?.Report(new PretextLabellingProgress("label", t + 1, tasks.Count, task.Name));
            if (labeller is not null)
            {
                labellers[task.Name] = labeller;
            }
            labelSets[task.Name] = new PretextLabelSet(task.Name, task.Granularity, task.Classes,
                labeller?.StateJson ?? "{}", byClip) { Kind = task.Kind };
        }
        return new PretextLabellingResult(manifests, tasks.Select(t => t.Name).ToList(), labelSets, byTask, labellers,
            skipped, trainingIds, scope);
    }

    /// <summary>
    /// <see cref="IPretextLabelSource"/> for pre-training: labels the request's manifests with this pipeline,
    /// fitting on the request's training clips. The request's chunking must match this pipeline's (chunk labels
    /// line up with the model's chunks only then), and so must its feature settings.
    /// </summary>
    public IReadOnlyList<PretextLabelSet> GetLabelSets(PretextLabelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Chunking != _chunking)
        {
            throw new ArgumentException($"the request's chunking ({request.Chunking}) differs from this pipeline's ({_chunking})", nameof(request));
        }
        if (request.Features.Config.CanonicalText() != _extractor.Config.CanonicalText())
        {
            throw new ArgumentException("the request's feature settings differ from this pipeline's", nameof(request));
        }
        var pipeline = request.Windowing == Windowing ? this : new PretextLabelling(_registry, _extractor, _chunking)
        {
            MaxDegreeOfParallelism = MaxDegreeOfParallelism,
            Windowing = request.Windowing,
        };
        var result = pipeline.Run(request.Manifests, request.TaskNames, request.TrainingClipIds.ToList());
        return request.TaskNames.Select(name => result.LabelSets[name]).ToList();
    }

    /// <summary>A clip's measurements: one row per entry it is labelled as (the clip itself, or each of its windows).</summary>
    private sealed record MeasuredClip(IReadOnlyList<ManifestEntry> Windows, IReadOnlyList<TaskMeasurement[]> Measurements);

    /// <summary>The clip a (window) entry comes from.</summary>
    private static string SourceClipId(ManifestEntry entry) => entry.Extras.TryGetValue(WindowOfColumn, out var clip) ? clip : entry.Id;

    /// <summary>Extra manifest column of a window entry: the clip it is a window of.</summary>
    public const string WindowOfColumn = "window_of";

    /// <summary>Extra manifest column of a window entry: its first frame in the clip.</summary>
    public const string WindowStartColumn = "window_start";

    private MeasuredClip[] Measure(IReadOnlyList<(Manifest Manifest, ManifestEntry Entry)> items, IReadOnlyList<IPretextTask> tasks,
        IProgress<PretextLabellingProgress>? progress, CancellationToken cancellationToken)
    {
        var rows = new MeasuredClip[items.Count];
        var completed = 0;
        progress?.Report(new PretextLabellingProgress("measure", 0, items.Count, null));
        Parallel.For(0, items.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxDegreeOfParallelism), CancellationToken = cancellationToken },
            i =>
            {
                rows[i] = MeasureClip(items[i].Manifest, items[i].Entry, tasks);
                var done = Interlocked.Increment(ref completed);
                progress?.Report(new PretextLabellingProgress("measure", done, items.Count, items[i].Entry.Id));
            });
        return rows;
    }

    private MeasuredClip MeasureClip(Manifest manifest, ManifestEntry entry, IReadOnlyList<IPretextTask> tasks)
    {
        PretextClip clip;
        try
        {
            clip = BuildClip(manifest, entry);
        }
        catch (Exception e) when (IsClipFailure(e))
        {
            var reason = $"audio unusable: {e.Message}";
            var skipped = tasks.Select(_ => TaskMeasurement.Skipped(entry.Id, entry.Speaker, "audio", reason)).ToArray();
            return new MeasuredClip([entry], [skipped]);
        }
        var windows = Windowing == ShardWindowing.Windows ? WindowsOf(clip) : [clip];
        return new MeasuredClip(windows.Select(w => w.Entry).ToList(), windows.Select(w => MeasureWindow(w, tasks)).ToList());
    }

    /// <summary>A clip's windows (<see cref="ClipWindows"/>), each a clip of its own with the window's chunk plan; a short clip is itself.</summary>
    private List<PretextClip> WindowsOf(PretextClip clip)
    {
        var starts = ClipWindows.Starts(clip.Features.Frames, _chunking);
        if (starts.Length == 1)
        {
            return [clip];
        }
        return starts.Select((start, w) => clip with
        {
            Entry = clip.Entry with
            {
                Id = ClipWindows.RowId(clip.Id, w, starts.Length),
                Extras = new Dictionary<string, string>(clip.Entry.Extras)
                {
                    [WindowOfColumn] = clip.Id,
                    [WindowStartColumn] = start.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            },
            Chunks = ClipWindows.Plan(clip.Features.Frames, start, _chunking, _extractor.Config.LogMel),
        }).ToList();
    }

    private static TaskMeasurement[] MeasureWindow(PretextClip clip, IReadOnlyList<IPretextTask> tasks)
    {
        var row = new TaskMeasurement[tasks.Count];
        for (var t = 0; t < tasks.Count; t++)
        {
            try
            {
                row[t] = tasks[t].Measure(clip);
            }
            catch (Exception e) when (IsClipFailure(e))
            {
                row[t] = TaskMeasurement.Skipped(clip.Id, clip.Speaker, tasks[t].Name, $"measurement failed: {e.Message}");
            }
        }
        return row;
    }

    // Data problems of one clip; programming errors (NullReference, InvalidCast, ...) still surface.
    private static bool IsClipFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException
            or ManifestFormatException or Audio.AudioFormatException or ArgumentException or InvalidOperationException
            or OverflowException or IndexOutOfRangeException or KeyNotFoundException or NotSupportedException;
}
