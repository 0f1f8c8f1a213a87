using SerNotebooks.Faces;

namespace SerNotebooks.Tests.Faces;

public sealed class OpenFaceTablesTests : IDisposable
{
    private readonly string _folder = FaceTestData.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void HeadShowsTheChosenColumnsOfTheFirstFramesKeyedByFrameNumber()
    {
        var frames = FaceTestData.Frames(10, 30, _ => 0, new Dictionary<int, double> { [6] = 2.5, [12] = 3.25 });
        var path = FaceTestData.WriteCsv(_folder, "clip.csv", frames);

        var head = OpenFaceTables.Head(path, rows: 4);

        Assert.Equal([1, 2, 3, 4], head.RowKeys);
        Assert.Equal(["timestamp", "success", "confidence", "x_48", "y_48", "x_54", "y_54", "x_51", "y_51", "x_57", "y_57",
            "AU06_r", "AU12_r", "AU06_c", "AU12_c"], head.ColumnKeys);
        Assert.Equal(0.1, head.GetColumn<double>("timestamp")[4], 3);
        Assert.Equal(3.25, head.GetColumn<double>("AU12_r")[1]);
        Assert.Equal(1.0, head.GetColumn<double>("AU06_c")[2]);
        Assert.Equal(Math.Round(frames[0].X[48], 1), head.GetColumn<double>("x_48")[1], 6);
    }

    [Fact]
    public void AMissingColumnIsAnErrorNamingTheFile()
    {
        var path = FaceTestData.WriteCsv(_folder, "clip.csv", FaceTestData.Frames(3, 30, _ => 0));

        var error = Assert.Throws<OpenFaceFormatException>(() => OpenFaceTables.Head(path, actionUnits: ["AU03"]));

        Assert.Contains(path, error.Message);
        Assert.Contains("AU03_r", error.Message);
    }
}
