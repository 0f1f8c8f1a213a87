using System.Globalization;
using CsvHelper;

namespace SerNotebooks.Data;

/// <summary>A corpus file left out of a manifest, and why (path relative to the corpus root).</summary>
public sealed record RejectedFile(string File, string Reason)
{
    public const string ReportFileName = "rejected.csv";

    /// <summary>Writes <c>file,reason</c> rows atomically (header only when nothing was rejected).</summary>
    public static void WriteReport(string path, IEnumerable<RejectedFile> rejected) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteField("file");
            csv.WriteField("reason");
            csv.NextRecord();
            foreach (var r in rejected)
            {
                csv.WriteField(r.File);
                csv.WriteField(r.Reason);
                csv.NextRecord();
            }
        });
}
