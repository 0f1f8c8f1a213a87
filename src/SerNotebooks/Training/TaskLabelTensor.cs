using SerNotebooks.Pretext;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// One task's labels aligned with a <see cref="ChunkedDataset"/>: int64 [clips, C] for chunk tasks or [clips]
/// for utterance tasks, with <see cref="ClipTaskLabels.MissingLabel"/> (−1) wherever the task has no label
/// (clips it skipped or lacks, chunks it could not measure). Losses mask −1 out; they never see a made-up value.
/// </summary>
public sealed class TaskLabelTensor : IDisposable
{
    private TaskLabelTensor(string taskName, LabelGranularity granularity, IReadOnlyList<string> classes, Tensor labels, int labelled)
    {
        TaskName = taskName;
        Granularity = granularity;
        Classes = classes;
        Labels = labels;
        LabelledClips = labelled;
    }

    public string TaskName { get; }

    public LabelGranularity Granularity { get; }

    public IReadOnlyList<string> Classes { get; }

    public Tensor Labels { get; }

    /// <summary>Clips with at least one label.</summary>
    public int LabelledClips { get; }

    public static TaskLabelTensor FromLabelSet(PretextLabelSet set, ChunkedDataset dataset)
    {
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
        return new TaskLabelTensor(set.TaskName, set.Granularity, set.Classes, torch.tensor(values, shape), labelled);
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
