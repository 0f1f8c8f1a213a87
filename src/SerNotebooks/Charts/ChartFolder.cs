using Plotly.NET;

namespace SerNotebooks.Charts;

/// <summary>A folder of self-contained chart files (<see cref="ChartFile.SaveSelfContained"/>) and the paths written to it so far.</summary>
public sealed class ChartFolder
{
    private readonly List<string> _written = [];

    /// <param name="directory">Created when missing.</param>
    public ChartFolder(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Every chart saved through this object, in order.</summary>
    public IReadOnlyList<string> Written => _written;

    /// <summary>Saves <paramref name="chart"/> as <paramref name="fileName"/> in the folder, with <paramref name="title"/> as the page title.</summary>
    public void Save(GenericChart chart, string fileName, string title)
    {
        var path = Path.Combine(Directory, fileName);
        ChartFile.SaveSelfContained(chart, path, title);
        _written.Add(path);
    }
}
