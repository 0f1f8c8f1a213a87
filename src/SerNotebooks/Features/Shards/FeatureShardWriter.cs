using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SerNotebooks.Features.Shards;

/// <summary>
/// Writes one shard file sequentially (header placeholder, rows, index, header, trailer) to a temporary file and renames
/// it into place on <see cref="Commit"/>, so a reader never sees a partial shard: an interrupted build leaves either no
/// file or a complete one. Memory use is one row plus the index (~1 KB per row).
/// </summary>
public sealed class FeatureShardWriter : IDisposable
{
    private readonly string path;
    private readonly string temporary;
    private readonly ShardGeometry geometry;
    private readonly ShardWindowing windowing;
    private readonly byte[] setKey;
    private readonly FileStream stream;
    private readonly IncrementalHash dataHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MemoryStream index = new();
    private readonly byte[] rowBuffer;
    private long rows;
    private bool committed;

    public FeatureShardWriter(string path, ShardGeometry geometry, ShardWindowing windowing, byte[] setKey)
    {
        geometry.Validate();
        if (setKey.Length != ShardFileHeader.HashBytes)
        {
            throw new ArgumentException("the set key must be a 32-byte SHA-256", nameof(setKey));
        }
        this.path = Path.GetFullPath(path);
        this.geometry = geometry;
        this.windowing = windowing;
        this.setKey = setKey;
        rowBuffer = new byte[checked((int)geometry.RowBytes)];
        Directory.CreateDirectory(Path.GetDirectoryName(this.path)!);
        temporary = this.path + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        stream.Write(new byte[ShardFileHeader.Bytes]);
    }

    public long Rows => rows;

    /// <summary>Appends one row: C·m·F values, row-major [chunk, frame, band], and its index entry.</summary>
    public void Append(ShardRowInfo info, ClipFrameStatistics statistics, ReadOnlySpan<float> values)
    {
        ObjectDisposedException.ThrowIf(committed, this);
        if (values.Length != geometry.ValuesPerRow || info.ChunkMask.Length != geometry.ChunkCount
            || statistics.Sums.Length != geometry.Bands || statistics.Squares.Length != geometry.Bands)
        {
            throw new ArgumentException($"row of {values.Length} values / {info.ChunkMask.Length} mask entries / {statistics.Sums.Length} bands " +
                $"does not match the shard's {geometry.ChunkCount} × {geometry.ChunkFrames} × {geometry.Bands}");
        }
        if (geometry.Precision == ShardPrecision.Float32)
        {
            MemoryMarshal.AsBytes(values).CopyTo(rowBuffer);
        }
        else
        {
            var halves = MemoryMarshal.Cast<byte, Half>(rowBuffer.AsSpan());
            for (var i = 0; i < values.Length; i++)
            {
                halves[i] = (Half)values[i];
            }
        }
        stream.Write(rowBuffer);
        dataHash.AppendData(rowBuffer);

        var entry = new byte[geometry.IndexEntryBytes];
        var span = entry.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, info.Clip);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], info.Window);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], info.ClipFrames);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], info.WindowStart);
        for (var k = 0; k < info.ChunkMask.Length; k++)
        {
            span[16 + k] = info.ChunkMask[k] ? (byte)1 : (byte)0;
        }
        var stats = span[(16 + ShardGeometry.Align8(geometry.ChunkCount))..];
        for (var b = 0; b < geometry.Bands; b++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(stats[(8 * b)..], statistics.Sums[b]);
            BinaryPrimitives.WriteDoubleLittleEndian(stats[(8 * (geometry.Bands + b))..], statistics.Squares[b]);
        }
        index.Write(entry);
        rows++;
    }

    /// <summary>Writes index, header and trailer, flushes to disk and renames the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(committed, this);
        var header = new ShardFileHeader(geometry, windowing, rows, geometry.IndexOffset(rows), setKey, dataHash.GetHashAndReset()).Encode();
        var indexBytes = index.ToArray();
        stream.Write(indexBytes);
        using (var trailer = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            trailer.AppendData(header);
            trailer.AppendData(indexBytes);
            stream.Write(trailer.GetHashAndReset());
        }
        stream.Position = 0;
        stream.Write(header);
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(temporary, path, overwrite: true);
        committed = true;
    }

    public void Dispose()
    {
        stream.Dispose();
        dataHash.Dispose();
        if (!committed && File.Exists(temporary))
        {
            File.Delete(temporary);
        }
        committed = true;
    }
}
