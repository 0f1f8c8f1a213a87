using System.Globalization;
using System.Reflection;
using CsvHelper;
using CsvHelper.Configuration;
using SerNotebooks.Data.Splits;

namespace SerNotebooks.Data.CremaD;

/// <summary>An actor's row of CREMA-D's <c>VideoDemographics.csv</c>.</summary>
public sealed record CremaDActor(int ActorId, string Sex, int? Age);

/// <summary>
/// Facts about the CREMA-D corpus the project relies on: its metadata files, its known defects, and its
/// speaker-independent split protocols (the committed tables under data-manifests/crema-d/splits/).
/// </summary>
public static class CremaDCorpus
{
    public const string AudioFolder = "AudioWAV";
    public const string VideoFolder = "VideoFlash";
    public const string OpenFaceFolder = "OpenFace";
    public const string DemographicsFileName = "VideoDemographics.csv";
    public const string SentenceFileName = "SentenceFilenames.csv";
    /// <summary>The folder of the perception study's tables (<c>tabulatedVotes.csv</c>, <c>summaryTable.csv</c>).</summary>
    public const string ProcessedResultsFolder = "processedResults";

    /// <summary>Seed of the committed train/dev/test table (<c>actors-train-dev-test.csv</c>).</summary>
    public const int SplitSeed = 2022;

    public const string TrainDevTestTableName = "actors-train-dev-test.csv";
    public const string FiveSessionsTableName = "actors-5-sessions.csv";

    /// <summary>Defects of the released corpus (data-manifests/crema-d/metadata/SOURCE.md), appended to a rejection's reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDefects = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1076_MTI_SAD_XX"] = "known CREMA-D defect: this clip has no audio",
        ["1064_TIE_SAD_XX"] = "known CREMA-D defect: this clip has zero duration",
        ["1064_IEO_DIS_MD"] = "known CREMA-D oddity: this clip is about one minute long",
    };

    /// <summary>The literature's five sessions by actor ID: 1001–1018, 1019–1036, 1037–1054, 1055–1072, 1073–1091.</summary>
    public static string SessionOf(int actorId) => actorId switch
    {
        >= 1001 and <= 1018 => "session1",
        >= 1019 and <= 1036 => "session2",
        >= 1037 and <= 1054 => "session3",
        >= 1055 and <= 1072 => "session4",
        >= 1073 and <= 1091 => "session5",
        _ => throw new ArgumentOutOfRangeException(nameof(actorId), actorId, "not a CREMA-D actor ID (1001–1091)"),
    };

    /// <summary>The committed 63/14/14 train/dev/test table (embedded copy of data-manifests/crema-d/splits/actors-train-dev-test.csv).</summary>
    public static IReadOnlyList<ActorAssignment> CommittedTrainDevTest => LazyTrainDevTest.Value;

    /// <summary>The committed five-session table (embedded copy of data-manifests/crema-d/splits/actors-5-sessions.csv).</summary>
    public static IReadOnlyList<ActorAssignment> CommittedFiveSessions => LazyFiveSessions.Value;

    private static readonly Lazy<IReadOnlyList<ActorAssignment>> LazyTrainDevTest = new(() => ReadEmbedded(TrainDevTestTableName));
    private static readonly Lazy<IReadOnlyList<ActorAssignment>> LazyFiveSessions = new(() => ReadEmbedded(FiveSessionsTableName));

    /// <summary>Regenerates the train/dev/test table from the demographics (what the committed file holds for <see cref="SplitSeed"/>).</summary>
    public static IReadOnlyList<ActorAssignment> GenerateTrainDevTest(IEnumerable<CremaDActor> actors, int seed = SplitSeed) =>
        ActorSplitGenerator.TrainDevTest(actors.Select(ToActorInfo), seed);

    /// <summary>Generates the five-session table from the demographics.</summary>
    public static IReadOnlyList<ActorAssignment> GenerateFiveSessions(IEnumerable<CremaDActor> actors) =>
        actors.OrderBy(a => a.ActorId)
            .Select(a => new ActorAssignment(a.ActorId.ToString(CultureInfo.InvariantCulture), ActorInfo.NormalizeSex(a.Sex), SessionOf(a.ActorId)))
            .ToList();

    /// <summary>Reads <c>VideoDemographics.csv</c> (<c>ActorID, Age, Sex, ...</c>); errors name the file and line.</summary>
    public static IReadOnlyList<CremaDActor> ReadDemographics(string path)
    {
        using var reader = CremaDMetadataFile.OpenText(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new ManifestFormatException(path, 1, "no header row");
        }
        foreach (var column in new[] { "ActorID", "Sex" })
        {
            if (!csv.HeaderRecord.Contains(column, StringComparer.Ordinal))
            {
                throw new ManifestFormatException(path, 1, $"column '{column}' is missing");
            }
        }
        var hasAge = csv.HeaderRecord.Contains("Age", StringComparer.Ordinal);
        var actors = new List<CremaDActor>();
        var seen = new HashSet<int>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var idText = csv.GetField("ActorID") ?? string.Empty;
            if (!int.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                throw new ManifestFormatException(path, line, $"ActorID '{idText}' is not an integer");
            }
            if (!seen.Add(id))
            {
                throw new ManifestFormatException(path, line, $"actor {id} is listed twice");
            }
            int? age = null;
            if (hasAge && csv.GetField("Age") is { Length: > 0 } ageText)
            {
                age = int.TryParse(ageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a)
                    ? a
                    : throw new ManifestFormatException(path, line, $"Age '{ageText}' is not an integer");
            }
            actors.Add(new CremaDActor(id, ActorInfo.NormalizeSex(csv.GetField("Sex")), age));
        }
        return actors;
    }

    /// <summary>Clip names listed in <c>SentenceFilenames.csv</c> (column <c>Filename</c>).</summary>
    public static IReadOnlyList<string> ReadSentenceFilenames(string path)
    {
        using var reader = CremaDMetadataFile.OpenText(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null || !csv.HeaderRecord.Contains("Filename", StringComparer.Ordinal))
        {
            throw new ManifestFormatException(path, 1, "expected a header with a 'Filename' column");
        }
        var names = new List<string>();
        while (csv.Read())
        {
            if (csv.GetField("Filename") is { Length: > 0 } name)
            {
                names.Add(name);
            }
        }
        return names;
    }

    private static ActorInfo ToActorInfo(CremaDActor a) => new(a.ActorId.ToString(CultureInfo.InvariantCulture), a.Sex);

    private static IReadOnlyList<ActorAssignment> ReadEmbedded(string name)
    {
        var resource = $"SerNotebooks.CremaD.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded split table '{resource}' is missing from the library build");
        using var reader = new StreamReader(stream);
        return ActorSplitTable.Parse(reader.ReadToEnd(), $"data-manifests/crema-d/splits/{name}");
    }
}
