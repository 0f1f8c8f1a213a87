using System.Buffers.Binary;

namespace SerNotebooks.Demo;

/// <summary>Writes canonical 44-byte-header RIFF/WAVE files: 16-bit PCM, mono.</summary>
public static class PcmWavWriter
{
    public static void Write(Stream stream, ReadOnlySpan<float> samples, int sampleRate)
    {
        var dataBytes = samples.Length * 2;
        var bytes = new byte[44 + dataBytes];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        for (var i = 0; i < samples.Length; i++)
        {
            var value = (int)Math.Round(Math.Clamp(samples[i], -1f, 1f) * 32767.0);
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + 2 * i)..], (short)value);
        }
        stream.Write(bytes);
    }
}
