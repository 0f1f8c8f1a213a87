using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using SerNotebooks.Data;

namespace SerNotebooks.Training;

/// <summary>The last finished epoch of a run (checkpoints/last.json), the commit point of a checkpoint.</summary>
public sealed record CheckpointState(
    int Epoch,
    string ModelFile,
    string OptimizerFile,
    int BestEpoch,
    double BestScore,
    int EpochsWithoutImprovement,
    bool StoppedEarly,
    int Seed,
    string Optimizer,
    double LearningRate,
    double WeightDecay,
    string RandomState);

/// <summary>final-metrics.json.</summary>
public sealed record TrainingResult(
    RunKind Kind,
    int EpochsRun,
    int BestEpoch,
    bool StoppedEarly,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>True when the run folder already held this finished run and nothing was trained.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Skipped { get; init; }
}

/// <summary>
/// The files of one run folder (see TRAINING.md for the layout). Every file is written atomically; the
/// checkpoint's JSON is written last, so a run killed at any moment resumes from a consistent epoch.
/// </summary>
public sealed class RunFolder(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public string ConfigPath => Path.Combine(Directory, "config.json");

    public string ManifestHashPath => Path.Combine(Directory, "manifest-hash.txt");

    public string MetricsCsvPath => Path.Combine(Directory, "metrics.csv");

    public string FinalMetricsPath => Path.Combine(Directory, "final-metrics.json");

    public string PredictionsPath => Path.Combine(Directory, "predictions.csv");

    public string NormalizationPath => Path.Combine(Directory, "normalisation.json");

    /// <summary>Pre-training: the best epoch's encoder state dict alone (what fine-tuning loads).</summary>
    public string EncoderPath => Path.Combine(Directory, "encoder.model");

    public string LabelsDirectory => Path.Combine(Directory, "labels");

    public string CheckpointDirectory => Path.Combine(Directory, "checkpoints");

    public string LastStatePath => Path.Combine(CheckpointDirectory, "last.json");

    public string BestStatePath => Path.Combine(CheckpointDirectory, "best.json");

    public string BestModelPath => Path.Combine(CheckpointDirectory, "best.model");

    public string EpochModelPath(int epoch) => Path.Combine(CheckpointDirectory, $"epoch-{epoch:D4}.model");

    public string EpochOptimizerPath(int epoch) => Path.Combine(CheckpointDirectory, $"epoch-{epoch:D4}.optim");

    /// <summary>The pseudo-classes the epoch's checkpoint trains on next (<see cref="PseudoClassFile"/>; pseudo-class tasks only).</summary>
    public string EpochPseudoClassPath(int epoch) => Path.Combine(CheckpointDirectory, $"epoch-{epoch:D4}.pseudo-classes");

    /// <summary>The pseudo-classes the best model was trained on (<see cref="PseudoClassFile"/>; pseudo-class tasks only).</summary>
    public string BestPseudoClassPath => Path.Combine(CheckpointDirectory, "best.pseudo-classes");

    internal static readonly JsonSerializerOptions JsonOptions = TrainingConfig.JsonOptions;

    /// <summary>SHA-256 over each manifest's manifest.json and manifest.csv bytes, in config order.</summary>
    public static string HashManifests(IEnumerable<string> manifestDirectories)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var directory in manifestDirectories)
        {
            foreach (var name in new[] { Manifest.MetadataFileName, Manifest.CsvFileName })
            {
                var path = Path.Combine(directory, name);
                hash.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
                hash.AppendData(File.ReadAllBytes(path));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static T? ReadJson<T>(string path) where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable ({e.Message}); delete the run folder to start over", e);
        }
    }

    public static void WriteJson<T>(string path, T value) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, value, JsonOptions));

    /// <summary>Writes the per-epoch metrics table: one row per epoch, columns in <paramref name="columns"/> order.</summary>
    public void WriteMetrics(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyDictionary<string, double>> rows) =>
        AtomicFile.Write(MetricsCsvPath, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var column in columns)
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var column in columns)
                {
                    csv.WriteField(row.TryGetValue(column, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty);
                }
                csv.NextRecord();
            }
        });

    /// <summary>The first <paramref name="epochs"/> rows of metrics.csv (rows of epochs after the checkpoint are dropped).</summary>
    public List<IReadOnlyDictionary<string, double>> ReadMetrics(int epochs)
    {
        var rows = new List<IReadOnlyDictionary<string, double>>();
        if (!File.Exists(MetricsCsvPath))
        {
            return rows;
        }
        using var reader = new StreamReader(MetricsCsvPath);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            return rows;
        }
        var header = csv.HeaderRecord;
        while (rows.Count < epochs && csv.Read())
        {
            var row = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var column in header)
            {
                if (double.TryParse(csv.GetField(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    row[column] = v;
                }
            }
            rows.Add(row);
        }
        return rows;
    }
}
