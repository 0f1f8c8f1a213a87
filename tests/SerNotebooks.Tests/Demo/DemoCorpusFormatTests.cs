using System.Globalization;
using System.Text.RegularExpressions;
using OpenCvSharp;
using SerNotebooks.Audio;
using SerNotebooks.Data;
using SerNotebooks.Demo;

namespace SerNotebooks.Tests.Demo;

[Collection(TinyCorpusCollection.Name)]
public partial class DemoCorpusFormatTests(TinyCorpusFixture corpus)
{
    private Manifest Pretraining => Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.PretrainingManifestFolder));
    private Manifest Crema => Manifest.Load(Path.Combine(corpus.Root, DemoCorpusGenerator.CremaManifestFolder));

    [Fact]
    public void TinyHasTheAdvertisedSize()
    {
        Assert.Equal(40, corpus.Info.Unlabelled!.Clips);
        Assert.Equal(58, corpus.Info.Labelled!.Clips);
        Assert.Equal(40, Pretraining.Entries.Count);
        Assert.Equal(58, Crema.Entries.Count);
        Assert.Equal(8, Pretraining.Entries.Count(e => e.VideoPath is not null));
    }

    [Fact]
    public void EveryWavIsReadable16kHzSpeechOfPlausibleLength()
    {
        foreach (var (manifest, minimum, maximum) in new[] { (Pretraining, DemoCorpusGenerator.MinimumUnlabelledSeconds, DemoCorpusGenerator.MaximumUnlabelledSeconds), (Crema, 1.2, 5.0) })
        {
            foreach (var entry in manifest.Entries)
            {
                var path = manifest.Resolve(entry.AudioPath);
                var signal = WavAudioLoader.Load(path);
                Assert.Equal(16_000, signal.SampleRate);
                Assert.InRange(signal.Duration.TotalSeconds, minimum, maximum);
                var peak = signal.Samples.Max(Math.Abs);
                Assert.InRange(peak, 0.02, 1.0);
                using var stream = File.OpenRead(path);
                var header = new byte[44];
                stream.ReadExactly(header);
                Assert.Equal(1, BitConverter.ToInt16(header, 22)); // mono
                Assert.Equal(16, BitConverter.ToInt16(header, 34)); // 16-bit
            }
        }
    }

    [Fact]
    public void OpenFaceCsvHeaderIsExactlyWhatFeatureExtractionWrites()
    {
        // OpenFace 2.0/2.1 RecorderCSV with -2Dfp -pose -aus (no gaze, 3D landmarks or model parameters).
        var expected = new List<string> { "frame", "face_id", "timestamp", "confidence", "success",
            "pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz" };
        expected.AddRange(Enumerable.Range(0, 68).Select(i => "x_" + i));
        expected.AddRange(Enumerable.Range(0, 68).Select(i => "y_" + i));
        expected.AddRange("AU01 AU02 AU04 AU05 AU06 AU07 AU09 AU10 AU12 AU14 AU15 AU17 AU20 AU23 AU25 AU26 AU45".Split(' ').Select(a => a + "_r"));
        expected.AddRange("AU01 AU02 AU04 AU05 AU06 AU07 AU09 AU10 AU12 AU14 AU15 AU17 AU20 AU23 AU25 AU26 AU28 AU45".Split(' ').Select(a => a + "_c"));
        var expectedHeader = string.Join(", ", expected);
        foreach (var entry in Pretraining.Entries)
        {
            using var reader = new StreamReader(Pretraining.Resolve(entry.OpenFacePath!));
            Assert.Equal(expectedHeader, reader.ReadLine());
        }
        Assert.Equal(5 + 6 + 136 + 17 + 18, expected.Count);
    }

    [Fact]
    public void OpenFaceRowsRunAt30FpsForTheAudioDurationWithFailedFramesZeroed()
    {
        var failed = 0;
        var total = 0;
        foreach (var entry in Pretraining.Entries)
        {
            var path = Pretraining.Resolve(entry.OpenFacePath!);
            var lines = File.ReadAllLines(path);
            var audioSeconds = WavAudioLoader.Load(Pretraining.Resolve(entry.AudioPath)).Duration.TotalSeconds;
            var rows = lines.Skip(1).Select(l => l.Split(", ")).ToList();
            Assert.InRange(rows.Count, (int)Math.Floor(audioSeconds * 30) - 1, (int)Math.Ceiling(audioSeconds * 30) + 1);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                Assert.Equal(5 + 6 + 136 + 17 + 18, row.Length);
                Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), row[0]);
                Assert.Equal("0", row[1]);
                Assert.Equal((i / 30.0).ToString("F3", CultureInfo.InvariantCulture), row[2]);
                var confidence = double.Parse(row[3], CultureInfo.InvariantCulture);
                Assert.InRange(confidence, 0, 1);
                Assert.Contains(row[4], new[] { "0", "1" });
                var landmarks = row.Skip(11).Take(136).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var units = row.Skip(147).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                total++;
                if (row[4] == "0")
                {
                    failed++;
                    Assert.True(confidence < 0.5, $"{path}:{i + 2}: failed frame with confidence {confidence}");
                    Assert.All(landmarks, v => Assert.Equal(0, v));
                }
                else
                {
                    Assert.All(landmarks.Take(68), x => Assert.InRange(x, 0, FaceTrack.DefaultWidth));
                    Assert.All(landmarks.Skip(68), y => Assert.InRange(y, 0, FaceTrack.DefaultHeight));
                    Assert.All(units.Take(17), r => Assert.InRange(r, 0, 5));
                    Assert.All(units.Skip(17), c => Assert.True(c is 0 or 1));
                }
            }
        }
        // Some tracking failures, as in real OpenFace output, but far from all.
        Assert.InRange(failed / (double)total, 0.005, 0.3);
    }

    [Fact]
    public void LabelledFilesFollowTheCremaDConvention()
    {
        var files = Directory.GetFiles(Path.Combine(corpus.Root, "crema-d", "AudioWAV")).Select(Path.GetFileName).ToList();
        Assert.Equal(58, files.Count);
        var codes = new Dictionary<string, string>
        {
            ["ANG"] = "anger", ["DIS"] = "disgust", ["FEA"] = "fear", ["HAP"] = "happiness", ["NEU"] = "neutral", ["SAD"] = "sadness",
        };
        var entries = Crema.Entries.ToDictionary(e => e.Id);
        foreach (var file in files)
        {
            var match = CremaName().Match(file!);
            Assert.True(match.Success, $"{file} does not follow ActorID_Sentence_Emotion_Level.wav");
            var (actor, sentence, emotion, level) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value);
            Assert.InRange(int.Parse(actor, CultureInfo.InvariantCulture), 1001, 1004);
            // Only IEO has intensity levels, and its neutral clip has none.
            Assert.Equal(sentence == "IEO" && emotion != "NEU", level != "XX");
            var entry = entries[Path.GetFileNameWithoutExtension(file)!];
            Assert.Equal(codes[emotion], entry.Emotion);
            Assert.Equal(actor, entry.Speaker);
            Assert.Equal(sentence, entry.Sentence);
            Assert.Equal(level, entry.Level);
            Assert.Null(entry.Split);
            Assert.NotNull(entry.Sex);
        }
        Assert.Contains(files, f => f!.EndsWith("_IEO_ANG_HI.wav", StringComparison.Ordinal));
        Assert.Contains(files, f => f!.EndsWith("_IEO_NEU_XX.wav", StringComparison.Ordinal));
        Assert.Equal(6, Crema.Entries.Select(e => e.Emotion).Distinct().Count());
    }

    [Fact]
    public void DemographicsFileHasCremaDColumnsForEveryActor()
    {
        var lines = File.ReadAllLines(Path.Combine(corpus.Root, "crema-d", "VideoDemographics.csv"));
        Assert.Equal("\"ActorID\",\"Age\",\"Sex\",\"Race\",\"Ethnicity\"", lines[0]);
        var actors = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["1001", "1002", "1003", "1004"], actors.Select(a => a[0]));
        Assert.All(actors, a =>
        {
            Assert.Contains(a[2], new[] { "\"Male\"", "\"Female\"" });
            Assert.Equal($"\"{Crema.Entries.First(e => e.Speaker == a[0]).Sex}\"", a[2]);
            Assert.InRange(int.Parse(a[1], CultureInfo.InvariantCulture), 20, 74);
        });
    }

    [Fact]
    public void ManifestsAreUsableAndMarkTheirKinds()
    {
        Assert.Equal(ManifestMetadata.UnlabelledKind, Pretraining.Metadata.Kind);
        Assert.Equal(ManifestMetadata.LabelledKind, Crema.Metadata.Kind);
        Assert.All(Pretraining.Entries, e =>
        {
            Assert.True(File.Exists(Pretraining.Resolve(e.AudioPath)));
            Assert.True(File.Exists(Pretraining.Resolve(e.OpenFacePath!)));
            Assert.True(e.VideoPath is null || File.Exists(Pretraining.Resolve(e.VideoPath)));
            Assert.Null(e.Emotion);
            Assert.StartsWith(e.Speaker + "_", e.Id);
            Assert.Contains(e.Extras["latent_emotion"], new[] { "anger", "disgust", "fear", "happiness", "neutral", "sadness" });
            Assert.InRange(double.Parse(e.Extras["latent_arousal"], CultureInfo.InvariantCulture), -1, 1);
            Assert.InRange(double.Parse(e.Extras["latent_valence"], CultureInfo.InvariantCulture), -1, 1);
        });
        Assert.All(Crema.Entries, e => Assert.True(File.Exists(Crema.Resolve(e.AudioPath))));
        Assert.Equal(8, Pretraining.Entries.Select(e => e.Speaker).Distinct().Count());
    }

    [Fact]
    public void FaceVideosDecodeAt30FpsWithOneFramePerCsvRow()
    {
        foreach (var entry in Pretraining.Entries.Where(e => e.VideoPath is not null))
        {
            using var capture = new VideoCapture(Pretraining.Resolve(entry.VideoPath!));
            Assert.True(capture.IsOpened());
            Assert.Equal(30, capture.Fps, 3);
            var rows = File.ReadLines(Pretraining.Resolve(entry.OpenFacePath!)).Count() - 1;
            using var frame = new Mat();
            var frames = 0;
            var first = new Mat();
            double maxDifference = 0;
            while (capture.Read(frame) && !frame.Empty())
            {
                Assert.Equal(FaceTrack.DefaultWidth, frame.Width);
                Assert.Equal(FaceTrack.DefaultHeight, frame.Height);
                if (frames == 0)
                {
                    frame.CopyTo(first);
                }
                else
                {
                    using var difference = new Mat();
                    Cv2.Absdiff(frame, first, difference);
                    maxDifference = Math.Max(maxDifference, Cv2.Mean(difference).Val0);
                }
                frames++;
            }
            first.Dispose();
            Assert.Equal(rows, frames);
            Assert.True(maxDifference > 0.5, $"{entry.VideoPath}: the face does not move");
        }
    }

    [GeneratedRegex(@"^(\d{4})_(IEO|TIE|IOM|IWW|TAI|MTI|IWL|ITH|DFA|ITS|TSI|WSI)_(ANG|DIS|FEA|HAP|NEU|SAD)_(XX|LO|MD|HI)\.wav$")]
    private static partial Regex CremaName();
}
