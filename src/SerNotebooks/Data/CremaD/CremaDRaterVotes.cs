using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SerNotebooks.Data.CremaD;

/// <summary>How the raters perceived a clip in CREMA-D's perception study.</summary>
public enum RatingModality
{
    /// <summary>Audio only (row ids <c>1…</c> of <c>tabulatedVotes.csv</c>; they match <c>summaryTable.csv</c>'s <c>VoiceVote</c>).</summary>
    Voice = 1,

    /// <summary>Video without sound (row ids <c>2…</c>; they match <c>FaceVote</c>).</summary>
    Face = 2,

    /// <summary>Audio and video (row ids <c>3…</c>; they match <c>MultiModalVote</c>).</summary>
    AudioVisual = 3,
}

/// <summary>
/// One row of CREMA-D's <c>processedResults/tabulatedVotes.csv</c>: the raters' votes for one clip in one
/// rating modality.
/// </summary>
/// <param name="FileName">The clip (<c>1001_IEO_NEU_XX</c>).</param>
/// <param name="Modality">What the raters perceived: the row id's first digit.</param>
/// <param name="Counts">Votes per emotion code, in the file's column order <c>A D F H N S</c>.</param>
/// <param name="Responses">How many raters answered (<c>numResponses</c>, the sum of the counts).</param>
/// <param name="Agreement">The share of raters who chose the majority emotion.</param>
/// <param name="EmotionVote">The majority vote; ties are joined with ':' as in the file (e.g. <c>N:S</c>).</param>
public sealed record CremaDTabulatedVote(
    string FileName,
    RatingModality Modality,
    IReadOnlyList<int> Counts,
    int Responses,
    double Agreement,
    string EmotionVote)
{
    /// <summary>The row's line in the file (for reports); 0 when the row was not read from a file.</summary>
    public int Line { get; init; }
}

/// <summary>One row of CREMA-D's <c>processedResults/summaryTable.csv</c>: the majority vote per rating modality.</summary>
/// <param name="FileName">The clip.</param>
/// <param name="Line">The row's line in the file.</param>
/// <param name="Votes">Per modality the majority emotion code(s), ties joined with ':' (<c>N:S</c>).</param>
public sealed record CremaDSummaryVote(string FileName, int Line, IReadOnlyDictionary<RatingModality, string> Votes);

/// <summary>Reads CREMA-D's rater-vote tables (plain or gzip-compressed, see <see cref="CremaDMetadataFile"/>).</summary>
public static class CremaDRaterVotes
{
    public const string TabulatedVotesFileName = "tabulatedVotes.csv";
    public const string SummaryTableFileName = "summaryTable.csv";

    /// <summary>The emotion codes of the vote columns, in file order.</summary>
    public static readonly IReadOnlyList<string> EmotionCodes = ["A", "D", "F", "H", "N", "S"];

    /// <summary>Every row of <c>tabulatedVotes.csv</c>; the first bad row is a <see cref="ManifestFormatException"/> naming the file and line.</summary>
    public static IReadOnlyList<CremaDTabulatedVote> ReadTabulated(string path) => ReadTabulated(path, problem => throw problem);

    /// <summary>
    /// The good rows of <c>tabulatedVotes.csv</c>; each bad row is passed to <paramref name="onBadRow"/> (file, line and
    /// reason) and skipped, never repaired. A missing or unusable header is always an error.
    /// </summary>
    public static IReadOnlyList<CremaDTabulatedVote> ReadTabulated(string path, Action<ManifestFormatException> onBadRow)
    {
        using var reader = CremaDMetadataFile.OpenText(path);
        using var csv = OpenCsv(reader, path, ["", .. EmotionCodes, "fileName", "numResponses", "agreement", "emoVote"]);
        var votes = new List<CremaDTabulatedVote>();
        while (csv.Read())
        {
            try
            {
                votes.Add(TabulatedRow(path, csv));
            }
            catch (ManifestFormatException e)
            {
                onBadRow(e);
            }
        }
        return votes;
    }

    /// <summary>
    /// The per-clip majority votes of <c>summaryTable.csv</c> (<c>VoiceVote</c>, <c>FaceVote</c>, <c>MultiModalVote</c>, ties
    /// joined with ':'); a row without a file name or with an empty vote goes to <paramref name="onBadRow"/> and is skipped.
    /// </summary>
    public static IReadOnlyList<CremaDSummaryVote> ReadSummary(string path, Action<ManifestFormatException> onBadRow)
    {
        using var reader = CremaDMetadataFile.OpenText(path);
        using var csv = OpenCsv(reader, path, ["FileName", .. SummaryColumns.Values]);
        var rows = new List<CremaDSummaryVote>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var name = csv.GetField("FileName") ?? string.Empty;
            var votes = SummaryColumns.ToDictionary(c => c.Key, c => csv.GetField(c.Value) ?? string.Empty);
            var bad = votes.Where(v => !IsVote(v.Value)).Select(v => $"{SummaryColumns[v.Key]} '{v.Value}'").FirstOrDefault();
            if (name.Length == 0 || bad is not null)
            {
                onBadRow(new ManifestFormatException(path, line, name.Length == 0
                    ? "FileName is empty"
                    : $"clip {name}: {bad} is not emotion codes ({string.Join(" ", EmotionCodes)}) joined with ':'"));
                continue;
            }
            rows.Add(new CremaDSummaryVote(name, line, votes));
        }
        return rows;
    }

    /// <summary>summaryTable.csv's majority-vote column of each rating modality.</summary>
    public static readonly IReadOnlyDictionary<RatingModality, string> SummaryColumns = new Dictionary<RatingModality, string>
    {
        [RatingModality.Voice] = "VoiceVote",
        [RatingModality.Face] = "FaceVote",
        [RatingModality.AudioVisual] = "MultiModalVote",
    };

    private static bool IsVote(string text) => text.Length > 0 && text.Split(':').All(code => EmotionCodes.Contains(code, StringComparer.Ordinal));

    private static CsvReader OpenCsv(TextReader reader, string path, IReadOnlyList<string> required)
    {
        var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            csv.Dispose();
            throw new ManifestFormatException(path, 1, "no header row");
        }
        if (required.FirstOrDefault(column => !csv.HeaderRecord.Contains(column, StringComparer.Ordinal)) is { } missing)
        {
            csv.Dispose();
            throw new ManifestFormatException(path, 1, $"column '{missing}' is missing");
        }
        return csv;
    }

    private static CremaDTabulatedVote TabulatedRow(string path, CsvReader csv)
    {
        var line = csv.Parser.Row;
        var rowId = csv.GetField("") ?? string.Empty;
        var fileName = csv.GetField("fileName") ?? string.Empty;
        var clip = fileName.Length > 0 ? $"clip {fileName}: " : "";
        if (fileName.Length == 0)
        {
            throw new ManifestFormatException(path, line, "fileName is empty");
        }
        var modality = rowId.Length > 0 && rowId[0] is >= '1' and <= '3'
            ? (RatingModality)(rowId[0] - '0')
            : throw new ManifestFormatException(path, line, $"{clip}row id '{rowId}' does not start with the modality digit 1, 2 or 3");
        var counts = EmotionCodes.Select(code => Integer(path, line, clip, code, csv.GetField(code))).ToArray();
        var responses = Integer(path, line, clip, "numResponses", csv.GetField("numResponses"));
        if (counts.Sum() != responses)
        {
            throw new ManifestFormatException(path, line, $"{clip}the votes add up to {counts.Sum()}, numResponses says {responses}");
        }
        var agreementText = csv.GetField("agreement") ?? string.Empty;
        var agreement = double.TryParse(agreementText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            ? a
            : throw new ManifestFormatException(path, line, $"{clip}agreement '{agreementText}' is not a number");
        return new CremaDTabulatedVote(fileName, modality, counts, responses, agreement, csv.GetField("emoVote") ?? string.Empty) { Line = line };
    }

    private static int Integer(string path, int line, string clip, string column, string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ManifestFormatException(path, line, $"{clip}{column} '{text}' is not a non-negative integer");
}
