namespace SerNotebooks.Features.Shards;

/// <summary>
/// The shape of a shard's rows and where each one lives. Every offset is a 64-bit count: a paper-sized shard set holds
/// ~4·10⁹ values (54,800 clips × 70,400), past <see cref="int.MaxValue"/>, so no product of row and row size may be int.
/// </summary>
public readonly record struct ShardGeometry(int ChunkCount, int ChunkFrames, int Bands, ShardPrecision Precision)
{
    /// <summary>C·m·F: values of one row (one clip or window).</summary>
    public long ValuesPerRow => (long)ChunkCount * ChunkFrames * Bands;

    /// <summary>Bytes of one row in the data section.</summary>
    public long RowBytes => ValuesPerRow * Precision.BytesPerValue();

    /// <summary>Bytes of one row's index entry: clip, window, clip frames, window start (int32 each), C mask bytes padded to 8, F sums and F sums of squares (float64).</summary>
    public int IndexEntryBytes => 16 + Align8(ChunkCount) + 16 * Bands;

    /// <summary>The first value of <paramref name="row"/> counted over every row before it (the set-wide element offset).</summary>
    public long ElementOffset(long row) => checked(row * ValuesPerRow);

    /// <summary>Byte offset of <paramref name="row"/> in a shard file whose data section starts at <see cref="ShardFileHeader.Bytes"/>.</summary>
    public long RowOffset(long row) => checked(ShardFileHeader.Bytes + row * RowBytes);

    /// <summary>Byte offset of the index (right after the data) of a shard of <paramref name="rows"/> rows.</summary>
    public long IndexOffset(long rows) => RowOffset(rows);

    /// <summary>Exact length of a shard file of <paramref name="rows"/> rows (header, data, index, 32-byte trailer).</summary>
    public long FileLength(long rows) => checked(IndexOffset(rows) + rows * IndexEntryBytes + ShardFileHeader.HashBytes);

    internal static int Align8(int value) => (value + 7) & ~7;

    public void Validate()
    {
        if (ChunkCount < 1 || ChunkFrames < 1 || Bands < 1)
        {
            throw new ArgumentException($"shard geometry must be positive, got C {ChunkCount}, m {ChunkFrames}, F {Bands}");
        }
        _ = Precision.BytesPerValue();
    }
}
