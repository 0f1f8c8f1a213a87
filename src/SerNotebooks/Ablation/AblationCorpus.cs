using SerNotebooks.Data;

namespace SerNotebooks.Ablation;

/// <summary>
/// The data of an ablation: the unlabelled corpus the pretext tasks are trained on and the labelled emotion
/// corpus the configurations are fine-tuned and evaluated on.
/// </summary>
/// <param name="PretrainingManifests">Manifest folders for pre-training (no split needed: all of it is training data).</param>
/// <param name="EmotionManifests">Manifest folders for fine-tuning and evaluation.</param>
/// <param name="SpeakerSplits">Speaker → train/dev/test, overriding the manifests' split column; null uses the column.
/// Under k-fold (<see cref="Folds"/>) each fold has its own splits instead.</param>
/// <param name="Evaluation">What the table's metrics are measured on, written beside the table.</param>
/// <param name="FeatureCache">Feature cache folder shared by labelling and every run.</param>
public sealed record AblationCorpus(
    IReadOnlyList<string> PretrainingManifests,
    IReadOnlyList<string> EmotionManifests,
    IReadOnlyDictionary<string, string>? SpeakerSplits,
    string Evaluation,
    string? FeatureCache = null)
{
    /// <summary>k-fold by actor when set (<see cref="WithFolds"/>); null evaluates on the test split.</summary>
    public SpeakerFolds? Folds { get; init; }

    /// <summary>
    /// Speaker → split for a fine-tuning run: fold <paramref name="fold"/>'s splits under k-fold, otherwise
    /// <see cref="SpeakerSplits"/> (null: the manifests' split column).
    /// </summary>
    public IReadOnlyDictionary<string, string>? SplitsFor(int? fold) => (fold, Folds) switch
    {
        (null, null) => SpeakerSplits,
        (int f, SpeakerFolds folds) => folds.SplitsFor(f),
        (null, _) => throw new ArgumentException("this corpus is evaluated by k-fold: a fine-tuning run needs a fold", nameof(fold)),
        _ => throw new ArgumentException($"fold {fold} requested, but this corpus is evaluated on its test split", nameof(fold)),
    };

    /// <summary>
    /// The same corpus evaluated by <paramref name="folds"/>-fold cross-validation by actor over the emotion
    /// manifests' speakers (their split column is then ignored).
    /// </summary>
    public AblationCorpus WithFolds(int folds)
    {
        var entries = EmotionManifests.SelectMany(m => Manifest.Load(m).Entries).ToList();
        var speakerFolds = SpeakerFolds.Create(entries, folds);
        var manifests = string.Join(", ", EmotionManifests.Select(m => Path.Combine(m, Manifest.CsvFileName)));
        var evaluation = $"{folds}-fold cross-validation by actor over {manifests} ({(speakerFolds.StratifiedBySex ? "sex-stratified" : "no sex column: by speaker id")}, " +
            $"split seed {SpeakerFolds.SplitSeed}): fold f tests its speakers, fold f+1 is dev, the rest train; every speaker is tested once. " +
            speakerFolds.Describe();
        return this with { SpeakerSplits = null, Folds = speakerFolds, Evaluation = evaluation };
    }

    /// <summary>
    /// The same corpus evaluated over the sessions in the emotion manifests' split column (CREMA-D prepared with
    /// <c>sernb prepare crema-d --split-protocol sessions-5</c>): session i tested, session i+1 (wrapping) dev, the rest train.
    /// </summary>
    /// <exception cref="InvalidDataException">The split column holds no sessions; the message says how to prepare them.</exception>
    public AblationCorpus WithSessions()
    {
        var entries = EmotionManifests.SelectMany(m => Manifest.Load(m).Entries).ToList();
        var manifests = string.Join(", ", EmotionManifests.Select(m => Path.Combine(m, Manifest.CsvFileName)));
        if (!entries.Any(e => SpeakerFolds.SessionNumber(e.Split) is not null))
        {
            var found = entries.Select(e => e.Split ?? "(empty)").Distinct().Order(StringComparer.Ordinal).Take(5);
            throw new InvalidDataException(
                $"{manifests}: the split column holds no sessions (found: {string.Join(", ", found)}); " +
                "prepare the manifest with `sernb prepare crema-d --split-protocol sessions-5` (session1…session5 by actor id), or use --folds K");
        }
        SpeakerFolds sessions;
        try
        {
            sessions = SpeakerFolds.FromSessions(entries);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{manifests}: {e.Message}", e);
        }
        var evaluation = $"cross-validation over the {sessions.Count} sessions of {manifests} (its split column): session i tests its speakers, " +
            "session i+1 is dev, the rest train; every speaker is tested once. " + sessions.Describe();
        return this with { SpeakerSplits = null, Folds = sessions, Evaluation = evaluation };
    }

    /// <summary>
    /// The corpus of two manifest folders. When the emotion manifests have no split column, the speakers are
    /// split by <see cref="SpeakerIndependentSplits"/>; otherwise the column is used as it is.
    /// </summary>
    public static AblationCorpus FromManifests(string pretrainingManifest, string emotionManifest, string? featureCache = null)
    {
        var emotion = Manifest.Load(emotionManifest);
        if (emotion.Entries.All(e => string.IsNullOrWhiteSpace(e.Split)))
        {
            var splits = SpeakerIndependentSplits(emotion.Entries.Select(e => e.Speaker));
            string Actors(string split) => string.Join(" ", splits.Where(p => p.Value == split).Select(p => p.Key));
            return new AblationCorpus([Path.GetFullPath(pretrainingManifest)], [Path.GetFullPath(emotionManifest)], splits,
                $"speaker-independent test split generated by speaker id: train {Actors("train")}; dev {Actors("dev")}; test {Actors("test")}",
                featureCache);
        }
        return new AblationCorpus([Path.GetFullPath(pretrainingManifest)], [Path.GetFullPath(emotionManifest)], null,
            $"the test split of {Path.Combine(Path.GetFullPath(emotionManifest), Manifest.CsvFileName)} (its split column)", featureCache);
    }

    /// <summary>
    /// Speakers in ordinal order: the last fifth (at least one) is test, the fifth before it dev (at least one),
    /// the rest train. Deterministic, and no speaker is in two splits.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SpeakerIndependentSplits(IEnumerable<string> speakers)
    {
        var ordered = speakers.Distinct().Order(StringComparer.Ordinal).ToList();
        if (ordered.Count < 3)
        {
            throw new ArgumentException($"a speaker-independent split needs at least 3 speakers, got {ordered.Count}", nameof(speakers));
        }
        var held = Math.Max(1, ordered.Count / 5);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            result[ordered[i]] = i >= ordered.Count - held ? "test" : i >= ordered.Count - 2 * held ? "dev" : "train";
        }
        return result;
    }
}
