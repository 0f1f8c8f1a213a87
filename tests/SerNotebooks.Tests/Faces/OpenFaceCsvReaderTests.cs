using SerNotebooks.Faces;

namespace SerNotebooks.Tests.Faces;

public sealed class OpenFaceCsvReaderTests : IDisposable
{
    private readonly string _folder = FaceTestData.NewFolder();

    private static readonly OpenFaceColumns LandmarksAndAus = new() { Landmarks = true, AuPresences = ["AU06", "AU12"], AuIntensities = ["AU06"] };

    [Fact]
    public void ReadsTheHeaderExactlyAsOpenFaceWritesIt()
    {
        var frames = FaceTestData.Frames(4, 30, t => 0, new Dictionary<int, double> { [6] = 2.5, [12] = 1.25 });
        var path = FaceTestData.WriteCsv(_folder, "openface.csv", frames);
        Assert.StartsWith("frame, face_id, timestamp, confidence, success, pose_Tx", File.ReadLines(path).First(), StringComparison.Ordinal);

        var track = OpenFaceCsvReader.Read(path, LandmarksAndAus with { AllActionUnits = true });

        Assert.Equal(4, track.FrameCount);
        Assert.Equal([1, 2, 3, 4], track.FrameNumbers);
        Assert.Equal(0.033, track.Timestamps[1], 6);
        Assert.All(track.Success, Assert.True);
        Assert.Equal(0.98, track.Confidence[0], 6);
        Assert.Equal(Math.Round(frames[2].X[37], 1), track.LandmarkX[2][37], 6);
        Assert.Equal(Math.Round(frames[2].Y[67], 1), track.LandmarkY[2][67], 6);
        Assert.Equal(2.5, track.AuIntensity["AU06"][0], 6);
        Assert.Equal(1.0, track.AuPresence["AU12"][3], 6);
        Assert.Equal(0.0, track.AuPresence["AU28"][3], 6);
        Assert.Equal(17, track.AuIntensity.Count);
        Assert.Equal(18, track.AuPresence.Count);
        Assert.Empty(track.Problems);
        Assert.InRange(track.EstimatedFrameRate, 29, 31);
    }

    [Fact]
    public void AcceptsAnyColumnOrderAndSubsetWithPlainCommas()
    {
        File.WriteAllText(Path.Combine(_folder, "subset.csv"),
            "AU12_c,timestamp,success,confidence,AU06_c,frame\n1,0.000,1,0.9,1,1\n0,0.040,1,0.9,1,2\n");
        var track = OpenFaceCsvReader.Read(Path.Combine(_folder, "subset.csv"), new OpenFaceColumns { AuPresences = ["AU06", "AU12"] });
        Assert.Equal([1.0, 0.0], track.AuPresence["AU12"]);
        Assert.Equal(25, track.EstimatedFrameRate, 6);
        Assert.False(track.HasLandmarks);
    }

    [Fact]
    public void DropsOnlyTheFramesWithEmptyOrNaNValuesAndSaysWhy()
    {
        var lines = FaceTestData.CsvText(FaceTestData.Frames(5, 30, t => 0)).TrimEnd('\n').Split('\n');
        lines[2] = ReplaceField(lines[2], 20, "nan");   // frame 2, x_9
        lines[4] = ReplaceField(lines[4], 82, "");      // frame 4, y_3 empty
        var path = Path.Combine(_folder, "holes.csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        var track = OpenFaceCsvReader.Read(path, LandmarksAndAus);

        Assert.Equal([1, 3, 5], track.FrameNumbers);
        Assert.Equal(5, track.RowsInFile);
        var nan = Assert.Single(track.Problems, p => p.Kind == FrameProblemKind.NotANumber);
        Assert.Equal(3, nan.Line);
        Assert.Equal(2, nan.Frame);
        Assert.Contains("'x_9'", nan.Reason, StringComparison.Ordinal);
        var empty = Assert.Single(track.Problems, p => p.Kind == FrameProblemKind.MissingValue);
        Assert.Equal(5, empty.Line);
        Assert.Contains("'y_3' is empty", empty.Reason, StringComparison.Ordinal);
        // Dropped rows leave gaps in the frame numbers, and the rate estimate still sees 30 fps.
        Assert.Equal(2, track.Problems.Count(p => p.Kind == FrameProblemKind.Gap));
        Assert.InRange(track.EstimatedFrameRate, 29, 31);
    }

    [Fact]
    public void OnlyTheRequestedColumnsAreParsedSoAnUnreadColumnCannotSpoilTheFile()
    {
        // OpenFace writes ~700 columns and a task reads 2 to 140; a stray quote in one nobody reads (pose_Tx here) would
        // make the CSV parser run a quoted field across the rest of the file if every column were parsed.
        var lines = FaceTestData.CsvText(FaceTestData.Frames(3, 30, t => 0)).TrimEnd('\n').Split('\n');
        lines[2] = ReplaceField(lines[2], 5, "\"12.5");
        var path = Path.Combine(_folder, "stray-quote.csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        var track = OpenFaceCsvReader.Read(path, LandmarksAndAus);

        Assert.Equal([1, 2, 3], track.FrameNumbers);
        Assert.Empty(track.Problems);
        // Asking for every AU column reads those too, still without the unread ones.
        Assert.Equal(18, OpenFaceCsvReader.Read(path, LandmarksAndAus with { AllActionUnits = true }).AuPresence.Count);
    }

    [Fact]
    public void MissingColumnNamesTheFileAndTheColumn()
    {
        File.WriteAllText(Path.Combine(_folder, "aus-only.csv"), "frame, timestamp, success, confidence, AU06_c\n1, 0.000, 1, 0.98, 1\n");
        var error = Assert.Throws<OpenFaceFormatException>(() =>
            OpenFaceCsvReader.Read(Path.Combine(_folder, "aus-only.csv"), new OpenFaceColumns { AuPresences = ["AU06", "AU12"] }));
        Assert.Contains("aus-only.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("AU12_c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAMissingOrEmptyFileNamingIt()
    {
        var missing = Path.Combine(_folder, "nope.csv");
        Assert.Contains("nope.csv: OpenFace CSV not found", Assert.Throws<OpenFaceFormatException>(() => OpenFaceCsvReader.Read(missing, new())).Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_folder, "header-only.csv"), FaceTestData.OpenFaceHeader + "\n");
        Assert.Contains("no data rows", Assert.Throws<OpenFaceFormatException>(() =>
            OpenFaceCsvReader.Read(Path.Combine(_folder, "header-only.csv"), new())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DropsRepeatedRowsAndKeepsTheFirstFaceOnly()
    {
        File.WriteAllText(Path.Combine(_folder, "multi.csv"),
            "frame, face_id, timestamp, confidence, success\n1, 0, 0.000, 0.9, 1\n1, 1, 0.000, 0.9, 1\n2, 0, 0.033, 0.9, 1\n2, 0, 0.033, 0.9, 1\n3, 0, 0.067, 0.9, 0\n");
        var track = OpenFaceCsvReader.Read(Path.Combine(_folder, "multi.csv"), new());
        Assert.Equal([1, 2, 3], track.FrameNumbers);
        Assert.Equal([true, true, false], track.Success);
        Assert.Equal(1, track.ProblemCounts[FrameProblemKind.OtherFace]);
        Assert.Equal(1, track.ProblemCounts[FrameProblemKind.NotIncreasing]);
    }

    [Fact]
    public void ATruncatedLastLineDropsOnlyThatFrame()
    {
        // What a killed FeatureExtraction leaves behind: the last row stops mid-way, without a newline.
        var text = FaceTestData.CsvText(FaceTestData.Frames(6, 30, t => 0));
        var path = Path.Combine(_folder, "truncated.csv");
        File.WriteAllText(path, text[..(text.LastIndexOf('\n', text.Length - 2) + 120)]);

        var track = OpenFaceCsvReader.Read(path, LandmarksAndAus);

        Assert.Equal([1, 2, 3, 4, 5], track.FrameNumbers);
        var problem = Assert.Single(track.Problems);
        Assert.Equal(7, problem.Line);
        Assert.Equal(FrameProblemKind.MissingValue, problem.Kind);
    }

    private static string ReplaceField(string line, int index, string value)
    {
        var fields = line.Split(", ");
        fields[index] = value;
        return string.Join(", ", fields);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
