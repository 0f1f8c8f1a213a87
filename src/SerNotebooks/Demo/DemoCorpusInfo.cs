using System.Text.Json;
using System.Text.Json.Serialization;

namespace SerNotebooks.Demo;

/// <summary>corpus.json at the corpus root: what was generated, from which seed, by which generator version.</summary>
public sealed record DemoCorpusInfo
{
    public const string FileName = "corpus.json";

    public string Generator { get; init; } = "SerNotebooks.Demo.DemoCorpusGenerator";
    public required int GeneratorVersion { get; init; }
    public required long Seed { get; init; }
    public required string Size { get; init; }
    public required bool Complete { get; init; }
    public int SampleRate { get; init; } = VoiceSynthesizer.SampleRate;
    public double FrameRate { get; init; } = FaceTrack.FrameRate;
    public string OpenFaceLayout { get; init; } = "OpenFace 2.x FeatureExtraction -2Dfp -pose -aus";
    public DemoPartSummary? Unlabelled { get; init; }
    public DemoPartSummary? Labelled { get; init; }
    public string Note { get; init; } =
        "Synthetic corpus. The latent_* manifest columns are the generator's hidden state, for analysis only: models must not read them.";

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static DemoCorpusInfo? TryLoad(string corpusDirectory)
    {
        var path = Path.Combine(corpusDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<DemoCorpusInfo>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a demo corpus description ({e.Message})", e);
        }
    }

    public void Save(string corpusDirectory) =>
        AtomicFile.WriteAllText(Path.Combine(corpusDirectory, FileName), JsonSerializer.Serialize(this, JsonOptions) + "\n");
}

/// <summary>Counts for one part of the demo corpus.</summary>
public sealed record DemoPartSummary(int Clips, int Speakers, int Videos, double Hours);
