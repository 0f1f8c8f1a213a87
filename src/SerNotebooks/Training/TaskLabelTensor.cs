using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// One task's labels aligned with a <see cref="ChunkedDataset"/>: int64 [clips, C] for chunk tasks or [clips]
/// for utterance tasks, with <see cref="ClipTaskLabels.MissingLabel"/> (−1) wherever the task has no label
/// (clips it skipped or lacks, chunks it could not measure). Losses mask −1 out; they never see a made-up value.
/// A regression task's (<see cref="LabelKind.Regression"/>) are float32 [clips, C] targets with NaN where it has none.
/// A pseudo-class task's (<see cref="LabelKind.PseudoClasses"/>) start as 0 on the chunks that take part and are
/// overwritten by <see cref="AssignPseudoClasses"/> during training.
/// </summary>
public sealed class TaskLabelTensor : IDisposable
{
    private TaskLabelTensor(string taskName, LabelGranularity granularity, IReadOnlyList<string> classes, Tensor labels, int labelled,
        LabelKind kind = LabelKind.Classification)
    {
        TaskName = taskName;
        Granularity = granularity;
        Classes = classes;
        Labels = labels;
        LabelledClips = labelled;
        Kind = kind;
    }

    public LabelKind Kind { get; }

    public string TaskName { get; }

    public LabelGranularity Granularity { get; }

    public IReadOnlyList<string> Classes { get; }

    public Tensor Labels { get; }

    /// <summary>Clips with at least one label.</summary>
    public int LabelledClips { get; }

    public static TaskLabelTensor FromLabelSet(PretextLabelSet set, ChunkedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(dataset);
        if (set.Kind != LabelKind.Classification && set.Granularity != LabelGranularity.Chunk)
        {
            throw new InvalidDataException($"task '{set.TaskName}': {set.Kind} labels are per chunk, but the task is labelled per {set.Granularity}");
        }
        if (set.Kind == LabelKind.Regression)
        {
            return RegressionTargets(set, dataset);
        }
        var chunks = dataset.ChunkCount;
        var perClip = set.Granularity == LabelGranularity.Chunk ? chunks : 1;
        var values = Enumerable.Repeat((long)ClipTaskLabels.MissingLabel, dataset.Count * perClip).ToArray();
        var labelled = 0;
        // A chunk masked out of pooling (a copy of a short clip's only chunk) is left out of the loss as well,
        // so short clips do not count C times.
        var chunkMask = dataset.ChunkMask.data<bool>().ToArray();
        for (var i = 0; i < dataset.Count; i++)
        {
            var id = dataset.Clips[i].Id;
            if (!set.ByClip.TryGetValue(id, out var clip) || clip.SkipReason is not null)
            {
                continue;
            }
            var any = false;
            if (set.Granularity == LabelGranularity.Chunk)
            {
                if (clip.ChunkLabels is null)
                {
                    continue;
                }
                if (clip.ChunkLabels.Length != chunks)
                {
                    throw new InvalidDataException(
                        $"task '{set.TaskName}', clip '{id}': {clip.ChunkLabels.Length} chunk labels, but the model sees {chunks} chunks per clip");
                }
                for (var k = 0; k < chunks; k++)
                {
                    var label = Check(set, id, clip.ChunkLabels[k]);
                    if (chunkMask[i * chunks + k] && label != ClipTaskLabels.MissingLabel)
                    {
                        values[i * chunks + k] = label;
                        any = true;
                    }
                }
            }
            else
            {
                values[i] = Check(set, id, clip.UtteranceLabel);
                any = clip.UtteranceLabel != ClipTaskLabels.MissingLabel;
            }
            labelled += any ? 1 : 0;
        }
        long[] shape = set.Granularity == LabelGranularity.Chunk ? [dataset.Count, chunks] : [dataset.Count];
        return new TaskLabelTensor(set.TaskName, set.Granularity, set.Classes, torch.tensor(values, shape), labelled, set.Kind);
    }

    /// <summary>float32 [clips, C] standardised targets, NaN where missing (and on chunks masked out of pooling, as above).</summary>
    private static TaskLabelTensor RegressionTargets(PretextLabelSet set, ChunkedDataset dataset)
    {
        var chunks = dataset.ChunkCount;
        var values = Enumerable.Repeat(float.NaN, dataset.Count * chunks).ToArray();
        var chunkMask = dataset.ChunkMask.data<bool>().ToArray();
        var labelled = 0;
        for (var i = 0; i < dataset.Count; i++)
        {
            var id = dataset.Clips[i].Id;
            if (!set.ByClip.TryGetValue(id, out var clip) || clip.SkipReason is not null || clip.ChunkTargets is null)
            {
                continue;
            }
            if (clip.ChunkTargets.Length != chunks)
            {
                throw new InvalidDataException(
                    $"task '{set.TaskName}', clip '{id}': {clip.ChunkTargets.Length} chunk targets, but the model sees {chunks} chunks per clip");
            }
            var any = false;
            for (var k = 0; k < chunks; k++)
            {
                if (chunkMask[i * chunks + k] && double.IsFinite(clip.ChunkTargets[k]))
                {
                    values[i * chunks + k] = (float)clip.ChunkTargets[k];
                    any = true;
                }
            }
            labelled += any ? 1 : 0;
        }
        return new TaskLabelTensor(set.TaskName, set.Granularity, set.Classes, torch.tensor(values, [dataset.Count, chunks]), labelled, LabelKind.Regression);
    }

    /// <summary>
    /// A pseudo-class task's new classes: <paramref name="classes"/> [clips, C] (values 0..K−1) replace the labels of the
    /// chunks that take part; the others stay −1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The task is not a pseudo-class task.</exception>
    public void AssignPseudoClasses(Tensor classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (Kind != LabelKind.PseudoClasses)
        {
            throw new InvalidOperationException($"task '{TaskName}' has {Kind} labels; only pseudo-classes are assigned during training");
        }
        using var scope = torch.NewDisposeScope();
        var takesPart = Labels.ge(0);
        Labels.copy_(torch.where(takesPart, classes.to(ScalarType.Int64), Labels));
    }

    /// <summary>Emotion labels of a labelled corpus: the index of each clip's emotion in <paramref name="classes"/>.</summary>
    public static TaskLabelTensor FromEmotions(ChunkedDataset dataset, IReadOnlyList<string> classes)
    {
        var values = new long[dataset.Count];
        for (var i = 0; i < dataset.Count; i++)
        {
            var clip = dataset.Clips[i];
            var index = clip.Emotion is null ? -1 : IndexOf(classes, clip.Emotion);
            if (index < 0)
            {
                throw new InvalidDataException(
                    $"clip '{clip.Id}' has emotion '{clip.Emotion ?? "(empty)"}', which is not one of the run's classes: {string.Join(", ", classes)}");
            }
            values[i] = index;
        }
        return new TaskLabelTensor("emotion", LabelGranularity.Utterance, classes, torch.tensor(values), dataset.Count);
    }

    /// <summary>The position of <paramref name="value"/> in <paramref name="classes"/> (case-insensitive); −1 when absent.</summary>
    internal static int IndexOf(IReadOnlyList<string> classes, string value)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (string.Equals(classes[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static long Check(PretextLabelSet set, string clipId, int label)
    {
        if (label != ClipTaskLabels.MissingLabel && (label < 0 || label >= set.Classes.Count))
        {
            throw new InvalidDataException($"task '{set.TaskName}', clip '{clipId}': label {label} is outside 0..{set.Classes.Count - 1}");
        }
        return label;
    }

    public void Dispose() => Labels.Dispose();
}
