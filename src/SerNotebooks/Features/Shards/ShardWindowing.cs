namespace SerNotebooks.Features.Shards;

/// <summary>Which rows a shard holds per clip.</summary>
public enum ShardWindowing
{
    /// <summary>One row per clip: the clip's <see cref="DynamicChunker"/> plan (C chunks, overlap adapted to its length), as training uses today.</summary>
    ChunkPlan = 0,

    /// <summary>One row per window of C·m frames (<see cref="ClipWindows"/>): long clips are covered completely.</summary>
    Windows = 1,
}
