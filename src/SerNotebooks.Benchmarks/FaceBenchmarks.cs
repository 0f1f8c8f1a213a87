using System.Diagnostics;
using SerNotebooks.Faces;

namespace SerNotebooks.Benchmarks;

/// <summary>
/// OpenFace CSV reading on one thread, as the face tasks read them: landmarks (facial activation) and AU presences
/// with every other AU column (AU emotion). Labelling the demo's pre-training corpus and notebooks 03–05 are bound by it.
/// </summary>
internal static class FaceBenchmarks
{
    /// <summary>openface-read FOLDER [FILES]: every OpenFace CSV under FOLDER (or the first FILES of them, in name order).</summary>
    public static void Read(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(args[0]))
        {
            throw new ArgumentException("usage: openface-read FOLDER [FILES] (a folder with OpenFace CSVs, e.g. a demo corpus's unlabelled/openface)");
        }
        var files = Directory.EnumerateFiles(args[0], "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (args.Length > 1)
        {
            files = files.Take(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        var megabytes = files.Sum(f => new FileInfo(f).Length) / 1e6;
        var header = File.ReadLines(files[0]).First().Split(',').Length;
        Console.WriteLine($"{files.Length} files, {megabytes:0.0} MB, {header} columns in the first header");
        string[] aus = ["AU01", "AU02", "AU04", "AU05", "AU06", "AU07", "AU09", "AU12", "AU15", "AU20", "AU23", "AU26"];
        Report("landmarks (68 x, 68 y, success, confidence)", files, megabytes, new OpenFaceColumns { Landmarks = true });
        Report("AU presences + every AU column", files, megabytes, new OpenFaceColumns { AuPresences = aus, AllActionUnits = true });
        Report($"landmarks, {Environment.ProcessorCount} files at once (as labelling)", files, megabytes, new OpenFaceColumns { Landmarks = true }, parallel: true);
    }

    private static void Report(string what, string[] files, double megabytes, OpenFaceColumns columns, bool parallel = false)
    {
        var frames = 0L;
        var elapsed = Measurement.Median(() => frames = parallel
            ? files.AsParallel().Sum(f => (long)OpenFaceCsvReader.Read(f, columns).FrameCount)
            : files.Sum(f => (long)OpenFaceCsvReader.Read(f, columns).FrameCount), warmups: 1, repetitions: 3);
        Console.WriteLine($"{what,-46} {elapsed.TotalSeconds,7:0.000} s  {files.Length / elapsed.TotalSeconds,7:0.0} files/s  {megabytes / elapsed.TotalSeconds,6:0.0} MB/s  ({frames} frames, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.00} GB)");
    }
}
