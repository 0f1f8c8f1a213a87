using Newtonsoft.Json.Linq;
using SerNotebooks.Charts;
using SerNotebooks.Faces;
using SerNotebooks.Tests.Faces;

namespace SerNotebooks.Tests.Charts;

public sealed class FaceChartsTests : IDisposable
{
    private readonly string _folder = FaceTestData.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Brows rise and the mouth drops by 3 px per frame; frame 2 is a tracking failure.</summary>
    private OpenFaceTrack Track()
    {
        var frames = FaceTestData.Frames(5, 30, t => 3 * t * 30);
        frames[2] = frames[2] with { Success = false, Confidence = 0.1 };
        return OpenFaceCsvReader.Read(FaceTestData.WriteCsv(_folder, "clip.csv", frames), new OpenFaceColumns { Landmarks = true });
    }

    [Fact]
    public void HeightsAreMeasuredFromTheNoseBridgeWithGapsWhereTrackingFailed()
    {
        var track = Track();

        var brow = FaceCharts.HeightsAboveNoseBridge(track, 19);
        var lip = FaceCharts.HeightsAboveNoseBridge(track, 57);

        Assert.True(double.IsNaN(brow[2]));
        Assert.True(double.IsNaN(lip[2]));
        // The CSV keeps one decimal, hence the tolerance.
        Assert.Equal(12, brow[4] - brow[0], 0.15);
        Assert.Equal(-12, lip[4] - lip[0], 0.15);
        Assert.Equal(track.LandmarkY[0][27] - track.LandmarkY[0][19], brow[0], 9);
    }

    [Fact]
    public void TrajectoryChartHasOneTracePerLandmarkOnItsRegionsPanel()
    {
        var chart = FaceCharts.LandmarkTrajectories("clip", Track());

        var traces = ChartJson.Traces(chart);
        Assert.Equal(FaceLandmark.MouthAndEyebrows.Select(l => l.Name), traces.Select(t => (string?)t["name"]));
        Assert.Equal("y", (string?)ChartJson.Trace(chart, "upper lip (51)")["yaxis"]);
        Assert.Equal("y2", (string?)ChartJson.Trace(chart, "eyebrow, image left (19)")["yaxis"]);
        // The failed frame 2 is a gap (null) in every line.
        Assert.Equal(JTokenType.Null, ChartJson.Trace(chart, "lower lip (57)")["y"]![2]!.Type);
    }

    [Fact]
    public void TrajectoryChartRefusesATrackWithoutLandmarksOrABadLandmark()
    {
        var frames = FaceTestData.Frames(3, 30, _ => 0);
        var path = FaceTestData.WriteCsv(_folder, "aus.csv", frames);
        var withoutLandmarks = OpenFaceCsvReader.Read(path, new OpenFaceColumns());

        var error = Assert.Throws<ArgumentException>(() => FaceCharts.LandmarkTrajectories("clip", withoutLandmarks));
        Assert.Contains(path, error.Message);
        Assert.Throws<ArgumentException>(() => FaceCharts.LandmarkTrajectories("clip", Track(), [new FaceLandmark(68, "none", "x")]));
    }
}
