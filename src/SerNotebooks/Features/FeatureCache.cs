using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SerNotebooks.Features;

/// <summary>Counts of cache lookups since the cache object was created.</summary>
public readonly record struct FeatureCacheStatistics(int Hits, int Misses, int Rejected);

/// <summary>
/// On-disk cache of <see cref="FeatureSet"/>s keyed by the SHA-256 of the audio file's bytes and the
/// SHA-256 of the <see cref="FeatureExtractorConfig"/> (settings + algorithm version): renaming or moving
/// a file keeps its entry; changing one byte of audio or one setting misses. Entries are written with
/// <see cref="AtomicFile"/>. Every read is verified (magic, format version, both key hashes, dimensions,
/// exact length and a SHA-256 checksum over the whole entry); an entry failing any check is reported
/// through the problem callback, counted as rejected and treated as a miss, so the caller recomputes
/// and overwrites it.
/// <para>
/// Entry layout (little-endian): "SNBF" · int32 format version · 32-byte content hash · 32-byte config hash
/// · int32 sample count · int32 frames · int32 bands · int32 flags (bit 0: F0 present) · float32 log-mel
/// [frames × bands] · float32 energy dB [frames] · uint8 speech mask [frames] · if F0: float32 F0 [frames],
/// uint8 voiced [frames], float32 aperiodicity [frames] · 32-byte SHA-256 of everything before it.
/// </para>
/// </summary>
public sealed class FeatureCache
{
    public const int FormatVersion = 1;
    public const string FileExtension = ".snbf";

    private static ReadOnlySpan<byte> Magic => "SNBF"u8;
    private const int HashLength = 32;
    private const int HeaderLength = 4 + 4 + HashLength + HashLength + 4 * 4;
    private const int HasPitchFlag = 1;

    private readonly Action<string>? _reportProblem;
    private int _hits;
    private int _misses;
    private int _rejected;
    private readonly Lazy<ContentHashCache> _contentHashes;

    /// <param name="cacheDirectory">Created on first write.</param>
    /// <param name="reportProblem">Told about every entry that exists but cannot be trusted (and will be recomputed).</param>
    public FeatureCache(string cacheDirectory, Action<string>? reportProblem = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The feature cache format is little-endian.");
        }
        Directory = Path.GetFullPath(cacheDirectory);
        _reportProblem = reportProblem;
        _contentHashes = new Lazy<ContentHashCache>(() => new ContentHashCache(Path.Combine(Directory, ContentHashCache.FileName), reportProblem));
    }

    public string Directory { get; }

    public FeatureCacheStatistics Statistics => new(Volatile.Read(ref _hits), Volatile.Read(ref _misses), Volatile.Read(ref _rejected));

    /// <summary>
    /// Content hashes of audio files remembered by (path, size, write time) in <c>content-hashes.tsv</c> in this folder
    /// (see <see cref="ContentHashCache"/>), so unchanged audio is not hashed again by every run.
    /// </summary>
    public ContentHashCache ContentHashes => _contentHashes.Value;

    /// <summary><see cref="HashFile"/> through <see cref="ContentHashes"/>.</summary>
    public string ContentHash(string path) => ContentHashes.HashOf(path);

    /// <summary>Persists the content hashes computed since the last save (merging other processes' saves).</summary>
    public void SaveContentHashes()
    {
        if (_contentHashes.IsValueCreated)
        {
            _contentHashes.Value.Save();
        }
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Where the entry for this content and config lives (two-character fan-out keeps folders small).</summary>
    public string EntryPath(string contentHash, FeatureExtractorConfig config)
    {
        ValidateContentHash(contentHash);
        var configHash = Convert.ToHexStringLower(config.StableHash())[..16];
        return Path.Combine(Directory, contentHash[..2], $"{contentHash}-{configHash}{FileExtension}");
    }

    public bool TryRead(string contentHash, FeatureExtractorConfig config, [NotNullWhen(true)] out FeatureSet? features)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = EntryPath(contentHash, config);
        features = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Interlocked.Increment(ref _misses);
            return false;
        }
        var problem = TryDecode(bytes, Convert.FromHexString(contentHash), config, out features);
        if (problem is not null || features is null)
        {
            Interlocked.Increment(ref _rejected);
            Interlocked.Increment(ref _misses);
            _reportProblem?.Invoke($"{path}: corrupt feature-cache entry ({problem}); recomputing.");
            features = null;
            return false;
        }
        Interlocked.Increment(ref _hits);
        return true;
    }

    public void Write(string contentHash, FeatureExtractorConfig config, FeatureSet features)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(features);
        var path = EntryPath(contentHash, config);
        AtomicFile.WriteAllBytes(path, Encode(Convert.FromHexString(contentHash), config, features));
    }

    private static byte[] Encode(byte[] contentHash, FeatureExtractorConfig config, FeatureSet features)
    {
        var frames = features.Frames;
        var bands = features.LogMel.Bands;
        if (features.LogEnergyDb.Length != frames || features.SpeechMask.Length != frames)
        {
            throw new ArgumentException($"Feature set is not frame-aligned: {frames} log-mel frames, {features.LogEnergyDb.Length} energies, {features.SpeechMask.Length} mask entries.");
        }
        var pitch = features.Pitch;
        var length = PayloadOffset + PayloadLength(frames, bands, pitch is not null) + HashLength;
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], FormatVersion);
        contentHash.CopyTo(span[8..]);
        config.StableHash().CopyTo(span[(8 + HashLength)..]);
        var dims = span[(8 + 2 * HashLength)..];
        BinaryPrimitives.WriteInt32LittleEndian(dims, features.SampleCount);
        BinaryPrimitives.WriteInt32LittleEndian(dims[4..], frames);
        BinaryPrimitives.WriteInt32LittleEndian(dims[8..], bands);
        BinaryPrimitives.WriteInt32LittleEndian(dims[12..], pitch is null ? 0 : HasPitchFlag);
        var writer = new SpanWriter(span[PayloadOffset..^HashLength]);
        writer.Floats(features.LogMel.AsSpan());
        writer.Floats(features.LogEnergyDb);
        writer.Bools(features.SpeechMask);
        if (pitch is not null)
        {
            writer.Floats(pitch.F0Hz);
            writer.Bools(pitch.Voiced);
            writer.Floats(pitch.Aperiodicity);
        }
        SHA256.HashData(span[..^HashLength], span[^HashLength..]);
        return bytes;
    }

    private static string? TryDecode(byte[] bytes, byte[] contentHash, FeatureExtractorConfig config, out FeatureSet? features)
    {
        features = null;
        var span = bytes.AsSpan();
        if (span.Length < PayloadOffset + HashLength)
        {
            return $"{span.Length} bytes is shorter than the {PayloadOffset + HashLength}-byte header and checksum";
        }
        if (!span[..4].SequenceEqual(Magic))
        {
            return "not a feature-cache file (bad magic)";
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (version != FormatVersion)
        {
            return $"format version {version}, expected {FormatVersion}";
        }
        var checksum = SHA256.HashData(span[..^HashLength]);
        if (!checksum.AsSpan().SequenceEqual(span[^HashLength..]))
        {
            return "checksum mismatch";
        }
        if (!span.Slice(8, HashLength).SequenceEqual(contentHash))
        {
            return "entry belongs to different audio content";
        }
        if (!span.Slice(8 + HashLength, HashLength).SequenceEqual(config.StableHash()))
        {
            return "entry was computed with different feature settings";
        }
        var dims = span[(8 + 2 * HashLength)..];
        var sampleCount = BinaryPrimitives.ReadInt32LittleEndian(dims);
        var frames = BinaryPrimitives.ReadInt32LittleEndian(dims[4..]);
        var bands = BinaryPrimitives.ReadInt32LittleEndian(dims[8..]);
        var flags = BinaryPrimitives.ReadInt32LittleEndian(dims[12..]);
        var hasPitch = (flags & HasPitchFlag) != 0;
        if (sampleCount <= 0 || frames != CenteredFraming.FrameCount(sampleCount, config.LogMel.HopLength))
        {
            return $"{frames} frames do not match {sampleCount} samples at hop {config.LogMel.HopLength}";
        }
        if (bands != config.LogMel.NMels)
        {
            return $"{bands} bands, expected {config.LogMel.NMels}";
        }
        if (hasPitch != (config.Pitch is not null) || (flags & ~HasPitchFlag) != 0)
        {
            return $"flags {flags} do not match the settings";
        }
        var expected = (long)PayloadOffset + PayloadLength(frames, bands, hasPitch) + HashLength;
        if (span.Length != expected)
        {
            return $"{span.Length} bytes, expected {expected} for {frames} × {bands}";
        }
        var reader = new SpanReader(span[PayloadOffset..^HashLength]);
        var logMel = new FeatureMatrix(frames, bands, reader.Floats(frames * bands));
        var energy = reader.Floats(frames);
        var speech = reader.Bools(frames);
        PitchTrack? pitch = null;
        if (hasPitch)
        {
            pitch = new PitchTrack(reader.Floats(frames), reader.Bools(frames), reader.Floats(frames));
        }
        features = new FeatureSet(logMel, energy, speech, pitch, sampleCount, config.LogMel.SampleRate);
        return null;
    }

    private const int PayloadOffset = HeaderLength;

    private static int PayloadLength(int frames, int bands, bool hasPitch) =>
        checked(4 * frames * bands + 4 * frames + frames + (hasPitch ? 4 * frames + frames + 4 * frames : 0));

    private static void ValidateContentHash(string contentHash)
    {
        if (contentHash is null || contentHash.Length != 2 * HashLength || !contentHash.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"Content hash must be {2 * HashLength} hex digits (SHA-256), got '{contentHash}'.", nameof(contentHash));
        }
    }

    private ref struct SpanWriter(Span<byte> destination)
    {
        private Span<byte> _rest = destination;

        public void Floats(ReadOnlySpan<float> values)
        {
            MemoryMarshal.AsBytes(values).CopyTo(_rest);
            _rest = _rest[(values.Length * sizeof(float))..];
        }

        public void Bools(ReadOnlySpan<bool> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _rest[i] = values[i] ? (byte)1 : (byte)0;
            }
            _rest = _rest[values.Length..];
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> source)
    {
        private ReadOnlySpan<byte> _rest = source;

        public float[] Floats(int count)
        {
            var values = MemoryMarshal.Cast<byte, float>(_rest[..(count * sizeof(float))]).ToArray();
            _rest = _rest[(count * sizeof(float))..];
            return values;
        }

        public bool[] Bools(int count)
        {
            var values = new bool[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = _rest[i] != 0;
            }
            _rest = _rest[count..];
            return values;
        }
    }
}
