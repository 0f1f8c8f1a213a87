using System.Globalization;
using SerNotebooks.Audio;
using SerNotebooks.Data.Splits;

namespace SerNotebooks.Data.CremaD;

/// <summary>Settings of <see cref="CremaDPreparer"/>.</summary>
public sealed record CremaDPrepareOptions
{
    /// <summary>Clips shorter than this are rejected (default: one 1 s analysis chunk).</summary>
    public TimeSpan MinimumDuration { get; init; } = WavAudioLoader.DefaultMinimumDuration;

    /// <summary>How actors are assigned to splits; see <see cref="CremaDSplitProtocols"/>.</summary>
    public string SplitProtocol { get; init; } = CremaDSplitProtocols.Auto;

    /// <summary>Seed for generated splits (the committed tables are fixed).</summary>
    public int Seed { get; init; } = CremaDCorpus.SplitSeed;

    /// <summary>Files validated at once (output order never depends on it).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Name written to manifest.json.</summary>
    public string Name { get; init; } = "crema-d";
}

/// <summary>Names accepted by <see cref="CremaDPrepareOptions.SplitProtocol"/>.</summary>
public static class CremaDSplitProtocols
{
    /// <summary>The committed 63/14/14 table when it covers every actor present and leaves no split empty; otherwise <see cref="Generated"/>.</summary>
    public const string Auto = "auto";

    /// <summary>The committed table data-manifests/crema-d/splits/actors-train-dev-test.csv; an actor not in it is an error.</summary>
    public const string Committed = "actors-63-14-14";

    /// <summary>The literature's five sessions by actor ID (split column session1…session5).</summary>
    public const string FiveSessions = "sessions-5";

    /// <summary>Seeded sex-balanced train/dev/test over the actors present, in the 63/14/14 proportions.</summary>
    public const string Generated = "generated";

    /// <summary>Prefix of <c>kfold-K</c>: seeded sex-stratified K folds over the actors present (fold1…foldK).</summary>
    public const string KFoldPrefix = "kfold-";

    public static readonly IReadOnlyList<string> Known = [Auto, Committed, FiveSessions, Generated, KFoldPrefix + "5"];

    /// <summary>The protocol in canonical form; an <see cref="ArgumentException"/> naming the known ones otherwise.</summary>
    public static string Normalize(string protocol)
    {
        var p = protocol.Trim().ToLowerInvariant();
        var isKFold = p.StartsWith(KFoldPrefix, StringComparison.Ordinal)
            && int.TryParse(p[KFoldPrefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && k >= 2;
        return p is Auto or Committed or FiveSessions or Generated || isKFold
            ? p
            : throw new ArgumentException($"unknown split protocol '{protocol}' (known: {string.Join(", ", Known)}, kfold-K with K ≥ 2)");
    }
}

/// <summary>What <see cref="CremaDPreparer.Prepare"/> found.</summary>
/// <param name="Manifest">Accepted clips, in file-name order, data root = the corpus root.</param>
/// <param name="Rejected">Every file left out, with the reason, in file-name order.</param>
/// <param name="Splits">The actor → split assignment used (actors present only).</param>
/// <param name="SplitDescription">Which protocol was applied, in words.</param>
/// <param name="FilesScanned">Files looked at in the audio folder.</param>
/// <param name="Notes">Remarks that are not rejections (digital silence, known oddities).</param>
public sealed record CremaDPreparation(
    Manifest Manifest,
    IReadOnlyList<RejectedFile> Rejected,
    IReadOnlyList<ActorAssignment> Splits,
    string SplitDescription,
    int FilesScanned,
    IReadOnlyList<string> Notes)
{
    /// <summary>The rater-vote table the <c>votes_*</c>/<c>perceived_*</c> columns come from; null when the checkout has none.</summary>
    public string? VoteSource { get; init; }

    /// <summary>Vote rows left out and clips without votes (file, line, clip, reason); empty without a vote table.</summary>
    public IReadOnlyList<RaterVoteProblem> VoteProblems { get; init; } = [];

    public IReadOnlyDictionary<string, int> ClipsPerSplit =>
        Manifest.Entries.GroupBy(e => e.Split ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> ClipsPerEmotion =>
        Manifest.Entries.GroupBy(e => e.Emotion ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}

/// <summary>
/// Builds a labelled manifest from a CREMA-D checkout: <c>&lt;root&gt;/AudioWAV/ActorID_Sentence_Emotion_Level.wav</c>
/// (or a folder of such WAVs directly), labels from the names, sex and age from <c>VideoDemographics.csv</c>
/// at the root when present, video from <c>VideoFlash/&lt;name&gt;.flv|.mp4|.avi</c> and OpenFace output from
/// <c>OpenFace/&lt;name&gt;.csv</c> when present. Every WAV is fully decoded to validate it; files that fail,
/// or whose names break the convention, are rejected with the reason, never guessed.
/// </summary>
public static class CremaDPreparer
{
    public const string SplitsFileName = "actor-splits.csv";

    public static CremaDPreparation Prepare(string root, CremaDPrepareOptions? options = null)
    {
        options ??= new CremaDPrepareOptions();
        options = options with { SplitProtocol = CremaDSplitProtocols.Normalize(options.SplitProtocol) };
        var rootFull = Path.GetFullPath(root);
        if (!Directory.Exists(rootFull))
        {
            throw new DirectoryNotFoundException($"{rootFull}: CREMA-D folder does not exist");
        }
        var audioDir = Path.Combine(rootFull, CremaDCorpus.AudioFolder);
        if (!Directory.Exists(audioDir))
        {
            audioDir = rootFull;
        }
        var files = Directory.EnumerateFiles(audioDir)
            .Where(f => !Path.GetFileName(f).StartsWith('.') || f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (audioDir == rootFull)
        {
            // A bare folder of WAVs also holds the metadata CSVs; only WAV-named files are candidates there.
            files = files.Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)).ToArray();
        }

        var demographicsPath = Path.Combine(rootFull, CremaDCorpus.DemographicsFileName);
        var demographics = File.Exists(demographicsPath)
            ? CremaDCorpus.ReadDemographics(demographicsPath).ToDictionary(a => a.ActorId)
            : new Dictionary<int, CremaDActor>();
        var videos = IndexByStem(Path.Combine(rootFull, CremaDCorpus.VideoFolder), [".flv", ".mp4", ".avi"]);
        var openFace = IndexByStem(Path.Combine(rootFull, CremaDCorpus.OpenFaceFolder), [".csv"]);

        var outcomes = new (ManifestEntry? Entry, RejectedFile? Rejected, bool Silent)[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism) }, i =>
            outcomes[i] = Examine(rootFull, files[i], options.MinimumDuration, demographics, videos, openFace));

        var rejected = outcomes.Where(o => o.Rejected is not null).Select(o => o.Rejected!).ToList();
        var accepted = outcomes.Where(o => o.Entry is not null).Select(o => o.Entry!).ToList();
        var notes = new List<string>();
        foreach (var (entry, _, silent) in outcomes)
        {
            if (entry is not null && silent)
            {
                notes.Add($"{entry.AudioPath}: digital silence (every sample is zero); kept, flagged in column digital_silence");
            }
            if (entry is not null && CremaDCorpus.KnownDefects.TryGetValue(entry.Id, out var oddity))
            {
                notes.Add($"{entry.AudioPath}: {oddity}; kept");
            }
        }
        AddMissingListedClips(rootFull, audioDir, files, rejected);
        rejected = rejected.OrderBy(r => r.File, StringComparer.Ordinal).ToList();

        var (splits, description) = AssignSplits(accepted, demographics, options);
        var splitOf = splits.ToDictionary(s => s.Actor, s => s.Split, StringComparer.Ordinal);
        accepted = accepted.Select(e => e with { Split = splitOf.GetValueOrDefault(e.Speaker) }).ToList();

        var perception = CremaDPerception.Find(rootFull);
        IReadOnlyList<RaterVoteProblem> voteProblems = [];
        if (perception is not null)
        {
            accepted = accepted.Select(e => WithVotes(e, perception)).ToList();
            voteProblems = [.. perception.Problems, .. perception.MissingFor(accepted.Select(e => e.Id))];
        }

        var metadata = new ManifestMetadata(options.Name, ManifestMetadata.LabelledKind, rootFull,
            "CREMA-D (Cao et al., 2014): labels from ActorID_Sentence_Emotion_Level file names", description);
        return new CremaDPreparation(new Manifest(metadata, rootFull, accepted), rejected, splits, description, files.Length, notes)
        {
            VoteSource = perception?.TabulatedPath,
            VoteProblems = voteProblems,
        };
    }

    /// <summary>The entry with its clip's rater votes and perceived labels as extra columns (none when the clip has no votes).</summary>
    private static ManifestEntry WithVotes(ManifestEntry entry, CremaDPerception perception)
    {
        if (!perception.Clips.TryGetValue(entry.Id, out var clip))
        {
            return entry;
        }
        var extras = new Dictionary<string, string>(entry.Extras, StringComparer.Ordinal);
        foreach (var (column, value) in CremaDPerception.ManifestColumns(clip))
        {
            extras[column] = value;
        }
        return entry with { Extras = extras };
    }

    /// <summary>
    /// Prepares and writes <c>manifest.csv</c>/<c>manifest.json</c> (only when some clip was accepted),
    /// <c>rejected.csv</c> and <c>actor-splits.csv</c> into <paramref name="outputDirectory"/>. manifest.json
    /// records the data root relative to the output folder, so the two can move together.
    /// </summary>
    public static CremaDPreparation PrepareAndSave(string root, string outputDirectory, CremaDPrepareOptions? options = null)
    {
        var result = Prepare(root, options);
        var outFull = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outFull);
        RejectedFile.WriteReport(Path.Combine(outFull, RejectedFile.ReportFileName), result.Rejected);
        ActorSplitTable.Write(Path.Combine(outFull, SplitsFileName), result.Splits);
        if (result.VoteSource is not null)
        {
            RaterVoteProblem.WriteReport(Path.Combine(outFull, RaterVoteProblem.ReportFileName), result.VoteProblems);
        }
        if (result.Manifest.Entries.Count > 0)
        {
            var relativeRoot = Path.GetRelativePath(outFull, result.Manifest.DataRoot).Replace('\\', '/');
            var manifest = new Manifest(result.Manifest.Metadata with { DataRoot = relativeRoot }, result.Manifest.DataRoot, result.Manifest.Entries);
            manifest.Save(outFull);
        }
        return result;
    }

    private static (ManifestEntry?, RejectedFile?, bool) Examine(
        string root, string file, TimeSpan minimumDuration, Dictionary<int, CremaDActor> demographics,
        Dictionary<string, string> videos, Dictionary<string, string> openFace)
    {
        var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
        var name = Path.GetFileName(file);
        var stem = Path.GetFileNameWithoutExtension(file);
        RejectedFile Reject(string reason) =>
            new(relative, CremaDCorpus.KnownDefects.TryGetValue(stem, out var defect) ? $"{reason} ({defect})" : reason);

        if (!name.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Reject("not a .wav file"), false);
        }
        if (!CremaDClipName.TryParse(name, out var clip, out var nameProblem))
        {
            return (null, Reject(nameProblem), false);
        }
        bool silent;
        WavFileHeader header;
        try
        {
            (header, silent) = WavAudioLoader.Inspect(file, minimumDuration);
        }
        catch (AudioFormatException e)
        {
            return (null, Reject(e.Reason), false);
        }
        catch (IOException e)
        {
            return (null, Reject($"cannot be read ({e.Message})"), false);
        }
        demographics.TryGetValue(clip.ActorId, out var actor);
        var extras = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["duration"] = header.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
            ["source_format"] = header.Describe(),
        };
        if (silent)
        {
            extras["digital_silence"] = "true";
        }
        var entry = new ManifestEntry
        {
            Id = clip.ToString(),
            AudioPath = relative,
            VideoPath = videos.GetValueOrDefault(stem),
            OpenFacePath = openFace.GetValueOrDefault(stem),
            Speaker = clip.Speaker,
            Sex = actor?.Sex,
            Age = actor?.Age,
            Sentence = clip.SentenceCode,
            Emotion = clip.Emotion,
            Level = clip.Level,
            Extras = extras,
        };
        return (entry, null, silent);
    }

    /// <summary>Clips that SentenceFilenames.csv lists but that are not on disk (e.g. a partial download).</summary>
    private static void AddMissingListedClips(string root, string audioDir, string[] files, List<RejectedFile> rejected)
    {
        var listPath = Path.Combine(root, CremaDCorpus.SentenceFileName);
        if (!File.Exists(listPath))
        {
            return;
        }
        var present = files.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        foreach (var name in CremaDCorpus.ReadSentenceFilenames(listPath).Where(n => !present.Contains(n)).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, Path.Combine(audioDir, name + ".wav")).Replace('\\', '/');
            var reason = $"missing: listed in {CremaDCorpus.SentenceFileName} but not on disk";
            rejected.Add(new RejectedFile(relative,
                CremaDCorpus.KnownDefects.TryGetValue(name, out var defect) ? $"{reason} ({defect})" : reason));
        }
    }

    private static (IReadOnlyList<ActorAssignment>, string) AssignSplits(
        List<ManifestEntry> accepted, Dictionary<int, CremaDActor> demographics, CremaDPrepareOptions options)
    {
        var actors = accepted.Select(e => int.Parse(e.Speaker, CultureInfo.InvariantCulture)).Distinct().Order()
            .Select(id => new ActorInfo(id.ToString(CultureInfo.InvariantCulture), demographics.TryGetValue(id, out var a) ? a.Sex : "unknown"))
            .ToList();
        if (actors.Count == 0)
        {
            return ([], "no actors");
        }
        var present = actors.Select(a => a.Actor).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<ActorAssignment> Committed() =>
            CremaDCorpus.CommittedTrainDevTest.Where(a => present.Contains(a.Actor)).ToList();
        IReadOnlyList<ActorAssignment> Generated() => ActorSplitGenerator.TrainDevTest(actors, options.Seed);
        var generatedText = $"generated: seeded (seed {options.Seed}) sex-balanced train/dev/test over the {actors.Count} actors present, 63/14/14 proportions";
        var protocol = options.SplitProtocol;
        var kFold = protocol.StartsWith(CremaDSplitProtocols.KFoldPrefix, StringComparison.Ordinal)
            && int.TryParse(protocol[CremaDSplitProtocols.KFoldPrefix.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var folds) ? folds : 0;
        var needed = kFold > 0 ? kFold : MinimumActorsForSplit;
        if (protocol is CremaDSplitProtocols.Auto or CremaDSplitProtocols.Generated || kFold > 0)
        {
            var fromCommitted = Committed();
            var committedCovers = protocol == CremaDSplitProtocols.Auto && fromCommitted.Count == actors.Count
                && new[] { ActorSplitGenerator.Train, ActorSplitGenerator.Dev, ActorSplitGenerator.Test }.All(s => fromCommitted.Any(a => a.Split == s));
            if (!committedCovers && actors.Count < needed)
            {
                return ([], NoSplitDescription(actors, needed, kFold, present.Count(a => CremaDCorpus.CommittedTrainDevTest.Any(c => c.Actor == a))));
            }
        }
        switch (protocol)
        {
            case CremaDSplitProtocols.Committed:
                var missing = actors.Where(a => !CremaDCorpus.CommittedTrainDevTest.Any(c => c.Actor == a.Actor)).Select(a => a.Actor).ToList();
                if (missing.Count > 0)
                {
                    throw new ArgumentException($"split protocol {protocol}: actors {string.Join(", ", missing)} are not in the committed table");
                }
                return (Committed(), $"{CremaDSplitProtocols.Committed}: committed table data-manifests/crema-d/splits/{CremaDCorpus.TrainDevTestTableName}");
            case CremaDSplitProtocols.Auto:
                var fromTable = Committed();
                var covers = fromTable.Count == actors.Count
                    && new[] { ActorSplitGenerator.Train, ActorSplitGenerator.Dev, ActorSplitGenerator.Test }.All(s => fromTable.Any(a => a.Split == s));
                return covers
                    ? (fromTable, $"{CremaDSplitProtocols.Committed}: committed table data-manifests/crema-d/splits/{CremaDCorpus.TrainDevTestTableName}")
                    : (Generated(), generatedText + " (the committed 63/14/14 table does not cover these actors with non-empty splits)");
            case CremaDSplitProtocols.Generated:
                return (Generated(), generatedText);
            case CremaDSplitProtocols.FiveSessions:
                return (actors.Select(a => new ActorAssignment(a.Actor, a.Sex, CremaDCorpus.SessionOf(int.Parse(a.Actor, CultureInfo.InvariantCulture)))).ToList(),
                    $"{CremaDSplitProtocols.FiveSessions}: five sessions by actor ID (1001–1018, 1019–1036, 1037–1054, 1055–1072, 1073–1091)");
            default:
                if (protocol.StartsWith(CremaDSplitProtocols.KFoldPrefix, StringComparison.Ordinal)
                    && int.TryParse(protocol[CremaDSplitProtocols.KFoldPrefix.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k))
                {
                    return (ActorSplitGenerator.KFold(actors, k, options.Seed),
                        $"{protocol}: seeded (seed {options.Seed}) sex-stratified {k} folds over the {actors.Count} actors present");
                }
                throw new ArgumentException($"unknown split protocol '{options.SplitProtocol}' (known: {string.Join(", ", CremaDSplitProtocols.Known)}, kfold-K)");
        }
    }

    /// <summary>A train/dev/test split needs one actor in each part.</summary>
    public const int MinimumActorsForSplit = 3;

    private static string NoSplitDescription(IReadOnlyList<ActorInfo> actors, int needed, int kFold, int inCommittedTable)
    {
        var seen = string.Join(", ", actors.Select(a => $"{a.Actor} ({a.Sex})"));
        var what = kFold > 0
            ? $"a speaker-independent {kFold}-fold split needs at least {kFold} actors (one per fold)"
            : $"a speaker-independent train/dev/test split needs at least {MinimumActorsForSplit} actors (one each for train, dev and test)";
        var table = kFold > 0 ? ""
            : inCommittedTable == 0
                ? $", and none of them is in the committed {CremaDCorpus.CommittedTrainDevTest.Count}-actor table (data-manifests/crema-d/splits/{CremaDCorpus.TrainDevTestTableName})"
                : $", and the committed table (data-manifests/crema-d/splits/{CremaDCorpus.TrainDevTestTableName}) does not give train, dev and test an actor each among them";
        return $"no split: the corpus has {actors.Count} actor{(actors.Count == 1 ? "" : "s")}: {seen}; {what}{table}. " +
            "The manifest is written with an empty split column; add actors, or split the clips yourself.";
    }

    private static Dictionary<string, string> IndexByStem(string folder, string[] extensions)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return index;
        }
        var root = Path.GetDirectoryName(folder)!;
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                index.TryAdd(Path.GetFileNameWithoutExtension(file), Path.GetRelativePath(root, file).Replace('\\', '/'));
            }
        }
        return index;
    }
}
