using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SerNotebooks.Features.Shards;

/// <summary>
/// One shard file, opened for reading. <see cref="Open"/> checks the exact file length, the header and the SHA-256
/// trailer over header and index; <see cref="VerifyData"/> also hashes the data section. Rows are read with positional
/// reads (the layout is memory-mappable, but a read per row is cheaper than a view per row), so the pages of a multi-GB
/// shard are never held in the process's resident set: RSS stays at one batch whatever the corpus size, and the
/// kernel's page cache does the caching. Every error names the file.
/// </summary>
public sealed class FeatureShard : IDisposable
{
    private readonly ShardFileHeader header;
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle handle;

    /// <summary>float16 rows are read here, then widened (per thread: the prefetch thread and evaluation may read at once).</summary>
    [ThreadStatic]
    private static Half[]? halfBuffer;

    private FeatureShard(string path, ShardFileHeader header, ShardRowInfo[] rows)
    {
        Path = path;
        handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        this.header = header;
        Rows = rows;
    }

    public string Path { get; }

    public ShardGeometry Geometry => header.Geometry;

    public ShardWindowing Windowing => header.Windowing;

    public IReadOnlyList<ShardRowInfo> Rows { get; }

    /// <summary>The key of the shard set this shard belongs to.</summary>
    public ReadOnlySpan<byte> SetKey => header.SetKey;

    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a shard; the message names it.</exception>
    public static FeatureShard Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = RandomAccess.GetLength(handle);
            var headerBytes = new byte[ShardFileHeader.Bytes];
            if (length < ShardFileHeader.Bytes + ShardFileHeader.HashBytes || RandomAccess.Read(handle, headerBytes, 0) != headerBytes.Length)
            {
                throw new InvalidDataException($"{length} bytes is shorter than a shard header and trailer (truncated?)");
            }
            var header = ShardFileHeader.Decode(headerBytes);
            var expected = header.Geometry.FileLength(header.Rows);
            if (length != expected)
            {
                throw new InvalidDataException($"{length} bytes, expected {expected} for {header.Rows} rows (truncated or overwritten)");
            }
            var indexBytes = new byte[checked((int)(header.Rows * header.Geometry.IndexEntryBytes))];
            ReadExactly(handle, indexBytes, header.IndexOffset);
            var trailer = new byte[ShardFileHeader.HashBytes];
            ReadExactly(handle, trailer, length - ShardFileHeader.HashBytes);
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                hash.AppendData(headerBytes);
                hash.AppendData(indexBytes);
                if (!hash.GetHashAndReset().AsSpan().SequenceEqual(trailer))
                {
                    throw new InvalidDataException("header/index checksum mismatch (corrupt)");
                }
            }
            var rows = DecodeIndex(header.Geometry, header.Rows, indexBytes, out _);
            return new FeatureShard(path, header, rows);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Hashes the data section and compares it with the header's SHA-256 (reads the whole file once, through the page cache).</summary>
    /// <exception cref="InvalidDataException">The data section was altered; the message names the file.</exception>
    public void VerifyData()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        stream.Position = ShardFileHeader.Bytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var remaining = header.Rows * Geometry.RowBytes;
        while (remaining > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                throw new InvalidDataException($"{Path}: data section ends early");
            }
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(header.DataHash))
        {
            throw new InvalidDataException($"{Path}: data checksum mismatch (corrupt)");
        }
    }

    /// <summary>Copies row <paramref name="row"/>'s C·m·F values, as float32, into <paramref name="destination"/>.</summary>
    public void ReadRow(long row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)row, (ulong)header.Rows, nameof(row));
        var values = Geometry.ValuesPerRow;
        if (destination.Length != values)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, a row {values}", nameof(destination));
        }
        // A positional read (pread) per row: one system call, into the caller's buffer, with no mapping to set up and
        // tear down per row (mapping and unmapping a view per row cost a third of a demo run's CPU in the kernel) and no
        // file pages counted in the process's RSS (a whole-file mapping would, as it is touched).
        if (Geometry.Precision == ShardPrecision.Float32)
        {
            ReadExactly(handle, MemoryMarshal.AsBytes(destination), Geometry.RowOffset(row));
            return;
        }
        var halves = halfBuffer is { } buffer && buffer.Length == values ? buffer : halfBuffer = new Half[values];
        ReadExactly(handle, MemoryMarshal.AsBytes(halves.AsSpan()), Geometry.RowOffset(row));
        for (var i = 0; i < halves.Length; i++)
        {
            destination[i] = (float)halves[i];
        }
    }

    /// <summary>Row <paramref name="row"/>'s clip frame statistics, read from the index on disk (not kept in memory).</summary>
    public ClipFrameStatistics ReadStatistics(long row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)row, (ulong)header.Rows, nameof(row));
        var entry = new byte[Geometry.IndexEntryBytes];
        ReadExactly(handle, entry, header.IndexOffset + row * Geometry.IndexEntryBytes);
        DecodeIndex(Geometry, 1, entry, out var statistics);
        return statistics!;
    }

    private static ShardRowInfo[] DecodeIndex(ShardGeometry geometry, long rows, byte[] bytes, out ClipFrameStatistics? lastStatistics)
    {
        var result = new ShardRowInfo[rows];
        lastStatistics = null;
        var size = geometry.IndexEntryBytes;
        for (var r = 0; r < rows; r++)
        {
            var span = bytes.AsSpan(r * size, size);
            var mask = new bool[geometry.ChunkCount];
            for (var k = 0; k < mask.Length; k++)
            {
                mask[k] = span[16 + k] != 0;
            }
            result[r] = new ShardRowInfo(BinaryPrimitives.ReadInt32LittleEndian(span), BinaryPrimitives.ReadInt32LittleEndian(span[4..]),
                BinaryPrimitives.ReadInt32LittleEndian(span[8..]), BinaryPrimitives.ReadInt32LittleEndian(span[12..]), mask);
            if (rows == 1)
            {
                var stats = span[(16 + ShardGeometry.Align8(geometry.ChunkCount))..];
                var sums = new double[geometry.Bands];
                var squares = new double[geometry.Bands];
                for (var b = 0; b < geometry.Bands; b++)
                {
                    sums[b] = BinaryPrimitives.ReadDoubleLittleEndian(stats[(8 * b)..]);
                    squares[b] = BinaryPrimitives.ReadDoubleLittleEndian(stats[(8 * (geometry.Bands + b))..]);
                }
                lastStatistics = new ClipFrameStatistics(result[r].ClipFrames, sums, squares);
            }
        }
        return result;
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (read == 0)
            {
                throw new InvalidDataException($"ends early at byte {offset + done}");
            }
            done += read;
        }
    }

    public void Dispose()
    {
        handle.Dispose();
    }
}
