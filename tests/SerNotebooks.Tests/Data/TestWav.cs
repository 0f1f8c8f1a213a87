using System.Buffers.Binary;
using System.Text;

namespace SerNotebooks.Tests.Data;

/// <summary>
/// Writes real RIFF/WAVE bytes in any layout a test needs (plain or WAVE_FORMAT_EXTENSIBLE headers,
/// every bit depth, and deliberately broken files), independently of the loader under test.
/// </summary>
public static class TestWav
{
    public enum Kind { Pcm, Float }

    /// <summary>A sine of <paramref name="frequency"/> Hz; channel c gets amplitude × channelGains[c].</summary>
    public static float[][] Sine(double frequency, double amplitude, int sampleRate, double seconds, params double[] channelGains)
    {
        if (channelGains.Length == 0)
        {
            channelGains = [1.0];
        }
        var n = (int)Math.Round(seconds * sampleRate);
        return channelGains.Select(g => Enumerable.Range(0, n)
            .Select(i => (float)(g * amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate))).ToArray()).ToArray();
    }

    public static byte[] Encode(float[][] channels, int sampleRate, Kind kind, int bits, bool extensible = false, bool extraChunk = false)
    {
        var frames = channels[0].Length;
        var blockAlign = channels.Length * bits / 8;
        var data = new byte[frames * blockAlign];
        var span = data.AsSpan();
        var offset = 0;
        for (var f = 0; f < frames; f++)
        {
            foreach (var channel in channels)
            {
                var x = Math.Clamp(channel[f], -1f, 1f);
                switch (kind, bits)
                {
                    case (Kind.Pcm, 8): span[offset] = (byte)Math.Clamp(Math.Round(x * 128 + 128), 0, 255); break;
                    case (Kind.Pcm, 16): BinaryPrimitives.WriteInt16LittleEndian(span[offset..], (short)Math.Clamp(Math.Round(x * 32768.0), short.MinValue, short.MaxValue)); break;
                    case (Kind.Pcm, 24):
                        var v24 = (int)Math.Clamp(Math.Round(x * 8388608.0), -8388608, 8388607);
                        span[offset] = (byte)v24; span[offset + 1] = (byte)(v24 >> 8); span[offset + 2] = (byte)(v24 >> 16);
                        break;
                    case (Kind.Pcm, 32): BinaryPrimitives.WriteInt32LittleEndian(span[offset..], (int)Math.Clamp(Math.Round(x * 2147483648.0), int.MinValue, int.MaxValue)); break;
                    case (Kind.Float, 32): BinaryPrimitives.WriteSingleLittleEndian(span[offset..], x); break;
                    case (Kind.Float, 64): BinaryPrimitives.WriteDoubleLittleEndian(span[offset..], x); break;
                    default: throw new ArgumentException($"{kind} {bits}");
                }
                offset += bits / 8;
            }
        }
        var tag = (ushort)(kind == Kind.Pcm ? 1 : 3);
        return Build(Format(extensible ? (ushort)0xFFFE : tag, tag, channels.Length, sampleRate, bits), data, extraChunk);
    }

    public static byte[] Format(ushort tag, ushort subTag, int channels, int sampleRate, int bits)
    {
        var extensible = tag == 0xFFFE;
        var fmt = new byte[extensible ? 40 : 16];
        var s = fmt.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)(sampleRate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(s[12..], (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(s[14..], (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(s[18..], (ushort)bits);
            BinaryPrimitives.WriteUInt32LittleEndian(s[20..], channels == 2 ? 3u : 4u);
            // KSDATAFORMAT_SUBTYPE_xxx = {0000xxxx-0000-0010-8000-00AA00389B71}
            BinaryPrimitives.WriteUInt16LittleEndian(s[24..], subTag);
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(s[26..]);
        }
        return fmt;
    }

    /// <summary>RIFF container with a 'fmt ' chunk and a 'data' chunk (optionally a LIST chunk between them).</summary>
    public static byte[] Build(byte[]? fmt, byte[]? data, bool extraChunk = false, uint? declaredDataSize = null)
    {
        using var body = new MemoryStream();
        void Chunk(string id, byte[] content, uint? declared = null)
        {
            body.Write(Encoding.ASCII.GetBytes(id));
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, declared ?? (uint)content.Length);
            body.Write(size);
            body.Write(content);
            if (content.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }
        if (fmt is not null)
        {
            Chunk("fmt ", fmt);
        }
        if (extraChunk)
        {
            Chunk("LIST", Encoding.ASCII.GetBytes("INFOISFT\u0005\0\0\0test\0"));
        }
        if (data is not null)
        {
            Chunk("data", data, declaredDataSize);
        }
        var riff = new byte[12];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(riff, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(body.Length + 4));
        Encoding.ASCII.GetBytes("WAVE").CopyTo(riff, 8);
        return [.. riff, .. body.ToArray()];
    }

    /// <summary>A valid 16-bit file cut short: the data chunk header still declares the full size.</summary>
    public static byte[] Truncated(float[][] channels, int sampleRate, double keepFraction)
    {
        var full = Encode(channels, sampleRate, Kind.Pcm, 16);
        return full[..(int)(44 + (full.Length - 44) * keepFraction)];
    }

    /// <summary>A temporary folder deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sernb-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string relative, byte[] bytes)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            System.IO.File.WriteAllBytes(full, bytes);
            return full;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The real CREMA-D metadata the repository ships (data-manifests/crema-d/metadata, ODbL).</summary>
    public static string CremaDMetadata(string file) => RepositoryFile("data-manifests/crema-d/metadata/" + file);

    public static string RepositoryFile(string relative) =>
        System.IO.Path.Combine(SerNotebooksPaths.FindRepositoryRoot(AppContext.BaseDirectory), relative);
}
