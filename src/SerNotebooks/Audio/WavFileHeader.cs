using System.Buffers.Binary;

namespace SerNotebooks.Audio;

/// <summary>Sample encoding of a WAV file's data chunk.</summary>
public enum WavSampleEncoding
{
    /// <summary>Integer PCM (8-bit unsigned, 16/24/32-bit signed).</summary>
    Pcm,

    /// <summary>IEEE 754 floating point (32 or 64 bit).</summary>
    IeeeFloat,
}

/// <summary>
/// What a WAV file declares and where its samples are, checked against the file's real length.
/// Read by walking the RIFF chunks ourselves because NAudio's reader accepts a data chunk that claims
/// more bytes than the file holds and silently returns the partial data.
/// </summary>
public sealed record WavFileHeader(
    WavSampleEncoding Encoding,
    int BitsPerSample,
    int SampleRate,
    int Channels,
    long DataOffset,
    long DataLength)
{
    private const ushort FormatPcm = 1;
    private const ushort FormatIeeeFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    public int BlockAlign => Channels * BitsPerSample / 8;

    /// <summary>Whole sample frames in the data chunk (a trailing partial frame is ignored).</summary>
    public long FrameCount => DataLength / BlockAlign;

    public TimeSpan Duration => TimeSpan.FromSeconds(FrameCount / (double)SampleRate);

    /// <summary>Short description such as <c>pcm16 44100 Hz 2 ch</c>.</summary>
    public string Describe() =>
        $"{(Encoding == WavSampleEncoding.Pcm ? "pcm" : "float")}{BitsPerSample} {SampleRate} Hz {Channels} ch";

    /// <summary>Parses and checks the header; every defect becomes an <see cref="AudioFormatException"/>.</summary>
    public static WavFileHeader Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new AudioFormatException(path, "file does not exist");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        return Read(path, stream);
    }

    internal static WavFileHeader Read(string path, Stream stream)
    {
        var fileLength = stream.Length;
        if (fileLength == 0)
        {
            throw new AudioFormatException(path, "file is empty (0 bytes)");
        }
        Span<byte> riff = stackalloc byte[12];
        if (fileLength < 12 || stream.ReadAtLeast(riff, 12, throwOnEndOfStream: false) < 12)
        {
            throw new AudioFormatException(path, $"not a RIFF/WAVE file (only {fileLength} bytes)");
        }
        var riffId = System.Text.Encoding.ASCII.GetString(riff[..4]);
        if (riffId == "RF64")
        {
            throw new AudioFormatException(path, "RF64 (64-bit WAV) files are not supported");
        }
        if (riffId != "RIFF" || System.Text.Encoding.ASCII.GetString(riff[8..12]) != "WAVE")
        {
            throw new AudioFormatException(path, "not a RIFF/WAVE file (missing 'RIFF....WAVE' signature)");
        }

        (WavSampleEncoding Encoding, int Bits, int Rate, int Channels)? format = null;
        Span<byte> chunkHeader = stackalloc byte[8];
        var position = 12L;
        while (position + 8 <= fileLength)
        {
            stream.Position = position;
            stream.ReadExactly(chunkHeader);
            var id = System.Text.Encoding.ASCII.GetString(chunkHeader[..4]);
            var size = (long)BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            var bodyStart = position + 8;
            var available = fileLength - bodyStart;
            if (id == "fmt ")
            {
                if (size > available)
                {
                    throw new AudioFormatException(path, $"truncated: 'fmt ' chunk declares {size} bytes but only {available} remain");
                }
                format = ParseFormat(path, stream, size);
            }
            else if (id == "data")
            {
                if (format is null)
                {
                    throw new AudioFormatException(path, "missing 'fmt ' chunk before the 'data' chunk");
                }
                var (encoding, bits, rate, channels) = format.Value;
                if (size > available)
                {
                    throw new AudioFormatException(path,
                        $"truncated: 'data' chunk declares {size} bytes but the file holds only {available} after the header");
                }
                var header = new WavFileHeader(encoding, bits, rate, channels, bodyStart, size);
                if (header.FrameCount == 0)
                {
                    throw new AudioFormatException(path, "no audio: the 'data' chunk holds no complete sample frame (zero duration)");
                }
                return header;
            }
            else if (size > available)
            {
                throw new AudioFormatException(path, $"truncated: '{Printable(id)}' chunk declares {size} bytes but only {available} remain");
            }
            // RIFF chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
            position = bodyStart + size + (size & 1);
        }
        throw new AudioFormatException(path, format is null ? "missing 'fmt ' and 'data' chunks" : "missing 'data' chunk");
    }

    private static (WavSampleEncoding, int, int, int) ParseFormat(string path, Stream stream, long size)
    {
        if (size < 16)
        {
            throw new AudioFormatException(path, $"'fmt ' chunk is {size} bytes, shorter than the 16 a WAV format needs");
        }
        var body = new byte[Math.Min(size, 40)];
        stream.ReadExactly(body);
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(2));
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(4));
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(12));
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(14));
        if (tag == FormatExtensible)
        {
            if (body.Length < 40)
            {
                throw new AudioFormatException(path, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is too short to hold its sub-format");
            }
            // The sub-format GUID starts with the plain format tag (KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT).
            tag = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(24));
        }
        var encoding = tag switch
        {
            FormatPcm => WavSampleEncoding.Pcm,
            FormatIeeeFloat => WavSampleEncoding.IeeeFloat,
            _ => throw new AudioFormatException(path, $"unsupported WAV encoding (format tag 0x{tag:X4}); only PCM and IEEE float are read"),
        };
        if (channels == 0)
        {
            throw new AudioFormatException(path, "'fmt ' chunk declares 0 channels");
        }
        if (rate == 0 || rate > 1_000_000)
        {
            throw new AudioFormatException(path, $"'fmt ' chunk declares an impossible sample rate of {rate} Hz");
        }
        var supported = encoding == WavSampleEncoding.Pcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!supported)
        {
            throw new AudioFormatException(path,
                $"unsupported bit depth {bits} for {(encoding == WavSampleEncoding.Pcm ? "PCM (8/16/24/32 are read)" : "IEEE float (32/64 are read)")}");
        }
        if (blockAlign != channels * bits / 8)
        {
            throw new AudioFormatException(path,
                $"inconsistent 'fmt ' chunk: block align {blockAlign} but {channels} channel(s) of {bits} bits need {channels * bits / 8}");
        }
        return (encoding, bits, (int)rate, channels);
    }

    private static string Printable(string id) =>
        new(id.Select(c => char.IsAsciiLetterOrDigit(c) || c == ' ' ? c : '?').ToArray());
}
