using System.Collections.Concurrent;

namespace SerNotebooks.Training;

/// <summary>
/// A batch's dataset rows and, for a shard-backed dataset, their raw values already read from disk. From a
/// <see cref="BatchLoader"/>, <see cref="RawInputs"/> is valid until the next batch is asked for (its buffer is reused).
/// </summary>
public sealed record LoadedRows(int[] ClipIndices, float[]? RawInputs);

/// <summary>
/// Reads the rows of a fixed sequence of batches ahead of the training loop: a background thread gathers the next
/// <see cref="Prefetch"/> batches from a shard-backed <see cref="ChunkedDataset"/> (memory-mapped reads) into a bounded
/// queue while the current step computes, so a step waits for disk only when reading is slower than training. The order
/// is the caller's (an epoch's <see cref="TrainingRun.Shuffle"/>, or evaluation's fixed batches), so prefetching never
/// changes the numbers. Memory: at most <see cref="Prefetch"/> + 2 batches of raw rows. An in-memory dataset needs no
/// reading, and its batches pass straight through. Tensors are made on the consumer's thread
/// (<see cref="TrainingBatch.Select(ChunkedDataset, IReadOnlyList{TaskLabelTensor}, LoadedRows)"/>), inside its dispose scope.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    /// <summary>Two batches ahead: one being read while the other waits, enough to hide reading behind a step.</summary>
    public const int DefaultPrefetch = 2;

    private readonly ChunkedDataset dataset;
    private readonly IReadOnlyList<int[]> batches;
    private readonly BlockingCollection<LoadedRows>? queue;
    private readonly CancellationTokenSource stop = new();
    private readonly Task? producer;
    private readonly ConcurrentBag<float[]> freeBuffers = [];
    private Exception? failure;

    public BatchLoader(ChunkedDataset dataset, IEnumerable<int[]> batches, int prefetch = DefaultPrefetch)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefetch);
        this.dataset = dataset;
        this.batches = batches.ToArray();
        Prefetch = prefetch;
        if (dataset.IsShardBacked)
        {
            queue = new BlockingCollection<LoadedRows>(prefetch);
            producer = Task.Factory.StartNew(Produce, TaskCreationOptions.LongRunning);
        }
    }

    public int Prefetch { get; }

    public int BatchCount => batches.Count;

    /// <summary>The batches' rows in order. A read error is rethrown here, on the consumer's thread.</summary>
    public IEnumerable<LoadedRows> Read()
    {
        if (queue is null)
        {
            foreach (var batch in batches)
            {
                yield return new LoadedRows(batch, null);
            }
            yield break;
        }
        // A batch's raw rows are copied into its tensor during the consumer's step, so once the consumer asks for the
        // next batch the previous buffer is free: the reader refills it instead of allocating (no garbage per batch).
        float[]? previous = null;
        foreach (var rows in queue.GetConsumingEnumerable(stop.Token))
        {
            if (previous is not null)
            {
                freeBuffers.Add(previous);
            }
            previous = rows.RawInputs;
            yield return rows;
        }
        if (Volatile.Read(ref failure) is { } error)
        {
            throw new InvalidDataException($"reading batch rows from the shard set {dataset.Shards?.Directory}: {error.Message}", error);
        }
    }

    private void Produce()
    {
        try
        {
            foreach (var batch in batches)
            {
                queue!.Add(new LoadedRows(batch, dataset.ReadRows(batch, TakeBuffer(batch.Length))), stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Volatile.Write(ref failure, e);
        }
        finally
        {
            queue!.CompleteAdding();
        }
    }

    private float[]? TakeBuffer(int rows)
    {
        var length = rows * (dataset.Shards is { } set ? (int)set.Geometry.ValuesPerRow : 0);
        // Batches have one size but the last; a buffer of another size goes back for a later batch of its size.
        for (var tries = freeBuffers.Count; tries > 0 && freeBuffers.TryTake(out var buffer); tries--)
        {
            if (buffer.Length == length)
            {
                return buffer;
            }
            freeBuffers.Add(buffer);
        }
        return null;
    }

    /// <summary>Stops the reader (a consumer may leave early: cancellation, early stopping) and waits for it.</summary>
    public void Dispose()
    {
        stop.Cancel();
        try
        {
            producer?.Wait();
        }
        catch (AggregateException)
        {
            // The producer records its own failures; cancellation is expected here.
        }
        queue?.Dispose();
        stop.Dispose();
    }
}
