using System.Buffers.Binary;

namespace SerNotebooks.Features.Shards;

/// <summary>
/// The fixed 128-byte header of a shard file (little-endian; layout in SHARDS.md): magic "SNBS", format version,
/// precision, C, m, F, windowing, row count, index offset, the shard set's key and the SHA-256 of the data section.
/// </summary>
internal sealed record ShardFileHeader(ShardGeometry Geometry, ShardWindowing Windowing, long Rows, long IndexOffset, byte[] SetKey, byte[] DataHash)
{
    public const int Bytes = 128;
    public const int HashBytes = 32;
    public const int FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "SNBS"u8;

    public byte[] Encode()
    {
        var bytes = new byte[Bytes];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], (int)Geometry.Precision);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], Geometry.ChunkCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], Geometry.ChunkFrames);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], Geometry.Bands);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], (int)Windowing);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], Rows);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], Bytes);
        BinaryPrimitives.WriteInt64LittleEndian(span[48..], IndexOffset);
        SetKey.CopyTo(span[56..]);
        DataHash.CopyTo(span[88..]);
        return bytes;
    }

    /// <summary>The header, or why the bytes are not one (the caller names the file).</summary>
    public static ShardFileHeader Decode(ReadOnlySpan<byte> span)
    {
        if (span.Length < Bytes || !span[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a feature shard (bad magic)");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"shard format version {version}, expected {FormatVersion}");
        }
        var precision = (ShardPrecision)BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var windowing = (ShardWindowing)BinaryPrimitives.ReadInt32LittleEndian(span[24..]);
        if (!Enum.IsDefined(precision) || !Enum.IsDefined(windowing))
        {
            throw new InvalidDataException($"unknown precision {(int)precision} or windowing {(int)windowing}");
        }
        var geometry = new ShardGeometry(
            BinaryPrimitives.ReadInt32LittleEndian(span[12..]), BinaryPrimitives.ReadInt32LittleEndian(span[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[20..]), precision);
        geometry.Validate();
        var rows = BinaryPrimitives.ReadInt64LittleEndian(span[32..]);
        var dataOffset = BinaryPrimitives.ReadInt64LittleEndian(span[40..]);
        var indexOffset = BinaryPrimitives.ReadInt64LittleEndian(span[48..]);
        if (rows < 0 || dataOffset != Bytes || indexOffset != geometry.IndexOffset(rows))
        {
            throw new InvalidDataException($"inconsistent header: {rows} rows, data at {dataOffset}, index at {indexOffset}");
        }
        return new ShardFileHeader(geometry, windowing, rows, indexOffset, span.Slice(56, HashBytes).ToArray(), span.Slice(88, HashBytes).ToArray());
    }
}
