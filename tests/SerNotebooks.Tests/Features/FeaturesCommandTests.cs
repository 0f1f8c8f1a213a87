using System.Globalization;
using System.Reflection;
using SerNotebooks.Features;

namespace SerNotebooks.Tests.Features;

public class FeaturesCommandTests
{
    // Runs the real `sernb` entry point (argument parsing, command registry and all) in-process.
    private static int Sernb(params string[] args)
    {
        var entryPoint = Assembly.Load("sernb").EntryPoint ?? throw new InvalidOperationException("sernb has no entry point");
        var result = entryPoint.Invoke(null, [args]);
        return result switch
        {
            int code => code,
            Task<int> task => task.GetAwaiter().GetResult(),
            _ => throw new InvalidOperationException($"Unexpected entry-point result {result}"),
        };
    }

    [Fact]
    public void WritesOneRowPerFrameAndOneColumnPerBand()
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("clip.wav");
        var csv = folder.File("out/clip.csv");
        var samples = TestSignals.Speechlike(16_000 + 321, seed: 9);
        TestSignals.WriteFloatWav(wav, samples);

        Assert.Equal(0, Sernb("features", wav, "--out", csv));

        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        Assert.Equal(["frame", "time_s", .. Enumerable.Range(0, 64).Select(b => $"mel_{b}")], header);
        Assert.Equal(1 + 16_321 / 160, lines.Length - 1);
        var expected = new LogMelSpectrogram().Compute(samples);
        foreach (var t in new[] { 0, 50, lines.Length - 2 })
        {
            var cells = lines[t + 1].Split(',');
            Assert.Equal(66, cells.Length);
            Assert.Equal(t, int.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal(t * 0.01, double.Parse(cells[1], CultureInfo.InvariantCulture), 1e-9);
            for (var b = 0; b < 64; b++)
            {
                Assert.Equal(expected[t, b], float.Parse(cells[b + 2], CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void EnergyOptionAddsEnergyAndSpeechColumns()
    {
        using var folder = new TemporaryDirectory();
        var wav = folder.File("clip.wav");
        var csv = folder.File("clip.csv");
        TestSignals.WriteFloatWav(wav, TestSignals.Sine(200, 0.5, 8000));

        Assert.Equal(0, Sernb("features", wav, "--out", csv, "--energy"));

        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        Assert.Equal(68, header.Length);
        Assert.Equal(["log_energy_db", "speech"], header[^2..]);
        var middle = lines[25].Split(',');
        Assert.Equal(10 * Math.Log10(0.125), double.Parse(middle[^2], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal("1", middle[^1]);
    }

    [Fact]
    public void NonWavInputFailsWithoutWritingOutput()
    {
        using var folder = new TemporaryDirectory();
        var notWav = folder.File("notes.wav");
        File.WriteAllText(notWav, "this is not a RIFF file");
        var csv = folder.File("notes.csv");

        Assert.NotEqual(0, Sernb("features", notWav, "--out", csv));
        Assert.False(File.Exists(csv));
    }
}
