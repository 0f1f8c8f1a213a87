using System.CommandLine;
using System.Globalization;
using CsvHelper;
using SerNotebooks.Audio;
using SerNotebooks.Features;

namespace SerNotebooks.Cli.Commands;

/// <summary><c>sernb features &lt;wav&gt; --out &lt;file.csv&gt;</c>: the log-mel matrix of one clip, for inspection and cross-checking.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var wav = new Argument<FileInfo>("wav") { Description = "WAV file (any PCM/float depth, rate and channel count; converted to 16 kHz mono)" };
        var output = new Option<FileInfo>("--out", "-o") { Description = "CSV to write: one row per frame, one column per mel band", Required = true };
        var energy = new Option<bool>("--energy") { Description = "Also write frame log-energy (dB) and the speech/non-speech mask" };
        var f0 = new Option<bool>("--f0") { Description = "Also write F0 in Hz (YIN, 50–500 Hz; 0 when unvoiced)" };
        var command = new Command("features", "Write a clip's log-mel spectrogram (64 bands, 25 ms / 10 ms; see FEATURES.md) as CSV");
        command.Arguments.Add(wav);
        command.Options.Add(output);
        command.Options.Add(energy);
        command.Options.Add(f0);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(wav)!,
            parseResult.GetValue(output)!,
            parseResult.GetValue(energy),
            parseResult.GetValue(f0)));
        return command;
    }

    private static int Run(FileInfo wav, FileInfo output, bool includeEnergy, bool includeF0)
    {
        var config = new FeatureExtractorConfig { Pitch = includeF0 ? new PitchConfig() : null };
        FeatureSet features;
        try
        {
            features = new FeatureExtractor(config).Extract(wav.FullName);
        }
        catch (AudioFormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        try
        {
            AtomicFile.Write(output.FullName, stream => WriteCsv(stream, features, config.LogMel, includeEnergy));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write {output.FullName}: {e.Message}");
            return 1;
        }
        Console.WriteLine($"{wav.Name}: {features.Frames} frames × {features.LogMel.Bands} bands ({features.DurationSeconds:0.###} s) → {output.FullName}");
        return 0;
    }

    private static void WriteCsv(Stream stream, FeatureSet features, LogMelConfig config, bool includeEnergy)
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteField("frame");
        csv.WriteField("time_s");
        for (var b = 0; b < features.LogMel.Bands; b++)
        {
            csv.WriteField($"mel_{b}");
        }
        if (includeEnergy)
        {
            csv.WriteField("log_energy_db");
            csv.WriteField("speech");
        }
        if (features.Pitch is not null)
        {
            csv.WriteField("f0_hz");
        }
        csv.NextRecord();
        var secondsPerFrame = config.HopLength / (double)config.SampleRate;
        for (var t = 0; t < features.Frames; t++)
        {
            csv.WriteField(t.ToString(CultureInfo.InvariantCulture));
            csv.WriteField((t * secondsPerFrame).ToString("0.######", CultureInfo.InvariantCulture));
            foreach (var value in features.LogMel.Row(t))
            {
                csv.WriteField(value.ToString("R", CultureInfo.InvariantCulture));
            }
            if (includeEnergy)
            {
                csv.WriteField(features.LogEnergyDb[t].ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(features.SpeechMask[t] ? "1" : "0");
            }
            if (features.Pitch is not null)
            {
                csv.WriteField(features.Pitch.F0Hz[t].ToString("R", CultureInfo.InvariantCulture));
            }
            csv.NextRecord();
        }
    }
}
