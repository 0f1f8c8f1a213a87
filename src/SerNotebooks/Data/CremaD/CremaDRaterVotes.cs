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
    string EmotionVote);

/// <summary>Reads CREMA-D's rater-vote tables (plain or gzip-compressed, see <see cref="CremaDMetadataFile"/>).</summary>
public static class CremaDRaterVotes
{
    public const string TabulatedVotesFileName = "tabulatedVotes.csv";
    public const string SummaryTableFileName = "summaryTable.csv";

    /// <summary>The emotion codes of the vote columns, in file order.</summary>
    public static readonly IReadOnlyList<string> EmotionCodes = ["A", "D", "F", "H", "N", "S"];

    /// <summary>Every row of <c>tabulatedVotes.csv</c>; errors name the file and line.</summary>
    public static IReadOnlyList<CremaDTabulatedVote> ReadTabulated(string path)
    {
        using var reader = CremaDMetadataFile.OpenText(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new ManifestFormatException(path, 1, "no header row");
        }
        string[] required = ["", .. EmotionCodes, "fileName", "numResponses", "agreement", "emoVote"];
        foreach (var column in required)
        {
            if (!csv.HeaderRecord.Contains(column, StringComparer.Ordinal))
            {
                throw new ManifestFormatException(path, 1, $"column '{column}' is missing");
            }
        }

        var votes = new List<CremaDTabulatedVote>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var rowId = csv.GetField("") ?? string.Empty;
            var modality = rowId.Length > 0 && rowId[0] is >= '1' and <= '3'
                ? (RatingModality)(rowId[0] - '0')
                : throw new ManifestFormatException(path, line, $"row id '{rowId}' does not start with the modality digit 1, 2 or 3");
            var counts = EmotionCodes.Select(code => Integer(path, line, code, csv.GetField(code))).ToArray();
            var responses = Integer(path, line, "numResponses", csv.GetField("numResponses"));
            if (counts.Sum() != responses)
            {
                throw new ManifestFormatException(path, line, $"the votes add up to {counts.Sum()}, numResponses says {responses}");
            }
            var agreementText = csv.GetField("agreement") ?? string.Empty;
            var agreement = double.TryParse(agreementText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                ? a
                : throw new ManifestFormatException(path, line, $"agreement '{agreementText}' is not a number");
            votes.Add(new CremaDTabulatedVote(
                csv.GetField("fileName") ?? string.Empty, modality, counts, responses, agreement, csv.GetField("emoVote") ?? string.Empty));
        }
        return votes;
    }

    private static int Integer(string path, int line, string column, string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ManifestFormatException(path, line, $"{column} '{text}' is not a non-negative integer");
}
