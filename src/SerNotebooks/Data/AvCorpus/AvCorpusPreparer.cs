using System.Globalization;
using System.Text.RegularExpressions;
using SerNotebooks.Audio;

namespace SerNotebooks.Data.AvCorpus;

/// <summary>How the speaker of an unlabelled clip is found.</summary>
public enum SpeakerRule
{
    /// <summary>The file stem before its first '_' (<c>spk07_0012.wav</c> → <c>spk07</c>); when the stem has no '_', the parent folder.</summary>
    StemPrefix,

    /// <summary>The name of the folder holding the audio file (<c>id10001/00001.wav</c> → <c>id10001</c>).</summary>
    ParentFolder,

    /// <summary>The named group <c>speaker</c> of <see cref="AvCorpusOptions.SpeakerPattern"/> matched against the audio path relative to the root.</summary>
    Pattern,
}

/// <summary>Settings of <see cref="AvCorpusPreparer"/>.</summary>
public sealed record AvCorpusOptions
{
    public SpeakerRule SpeakerRule { get; init; } = SpeakerRule.StemPrefix;

    /// <summary>Regular expression with a <c>(?&lt;speaker&gt;...)</c> group, for <see cref="SpeakerRule.Pattern"/>.</summary>
    public string? SpeakerPattern { get; init; }

    /// <summary>Keep audio that has neither an OpenFace CSV nor a video (still reported as unpaired).</summary>
    public bool KeepAudioOnly { get; init; }

    public TimeSpan MinimumDuration { get; init; } = WavAudioLoader.DefaultMinimumDuration;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public string Name { get; init; } = "av-corpus";
}

/// <summary>What <see cref="AvCorpusPreparer.Prepare"/> found.</summary>
/// <param name="Manifest">Unlabelled clips (audio plus OpenFace CSV and/or video), ordered by id.</param>
/// <param name="Rejected">Files that cannot be used (bad audio, not an OpenFace CSV, ambiguous names, no speaker).</param>
/// <param name="Unpaired">Usable files without a partner: audio with no CSV or video, CSVs and videos with no audio.</param>
/// <param name="AudioFiles">WAV files found.</param>
/// <param name="OpenFaceFiles">CSV files found.</param>
/// <param name="VideoFiles">Video files found.</param>
public sealed record AvCorpusPreparation(
    Manifest Manifest,
    IReadOnlyList<RejectedFile> Rejected,
    IReadOnlyList<RejectedFile> Unpaired,
    int AudioFiles,
    int OpenFaceFiles,
    int VideoFiles);

/// <summary>
/// Builds an unlabelled pre-training manifest from a folder (searched recursively) of audio (<c>*.wav</c>),
/// OpenFace 2.x CSVs (<c>*.csv</c>) and videos (<c>*.avi</c>, <c>*.mp4</c>, <c>*.flv</c>), pairing files by
/// stem. When a stem occurs more than once (e.g. <c>spk1/0001.wav</c> and <c>spk2/0001.wav</c>) files are
/// paired by the longest run of matching parent-folder names (<c>audio/spk1/0001.wav</c> ↔
/// <c>openface/spk1/0001.csv</c>); what stays ambiguous is rejected, never guessed.
/// </summary>
public static class AvCorpusPreparer
{
    public const string UnpairedFileName = "unpaired.csv";

    private static readonly string[] VideoExtensions = [".avi", ".mp4", ".flv"];

    public static AvCorpusPreparation Prepare(string root, AvCorpusOptions? options = null)
    {
        options ??= new AvCorpusOptions();
        var rootFull = Path.GetFullPath(root);
        if (!Directory.Exists(rootFull))
        {
            throw new DirectoryNotFoundException($"{rootFull}: corpus folder does not exist");
        }
        var speakerPattern = options.SpeakerRule == SpeakerRule.Pattern
            ? new Regex(options.SpeakerPattern ?? throw new ArgumentException("SpeakerRule.Pattern needs SpeakerPattern"), RegexOptions.CultureInvariant)
            : null;
        if (speakerPattern is not null && !speakerPattern.GetGroupNames().Contains("speaker"))
        {
            throw new ArgumentException($"speaker pattern '{options.SpeakerPattern}' has no (?<speaker>...) group");
        }

        var all = Directory.EnumerateFiles(rootFull, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(rootFull, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
        var audio = all.Where(f => HasExtension(f, ".wav")).ToList();
        var csvs = all.Where(f => HasExtension(f, ".csv")).ToList();
        var videos = all.Where(f => VideoExtensions.Any(e => HasExtension(f, e))).ToList();
        var rejected = new List<RejectedFile>();
        var unpaired = new List<RejectedFile>();

        var audioProblems = new string?[audio.Count];
        var audioInfo = new (WavFileHeader Header, bool Silent)[audio.Count];
        Parallel.For(0, audio.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism) }, i =>
        {
            try
            {
                audioInfo[i] = WavAudioLoader.Inspect(Path.Combine(rootFull, audio[i]), options.MinimumDuration);
            }
            catch (AudioFormatException e)
            {
                audioProblems[i] = e.Reason;
            }
            catch (IOException e)
            {
                audioProblems[i] = $"cannot be read ({e.Message})";
            }
        });
        var goodAudio = new List<(string Path, WavFileHeader Header, bool Silent)>();
        for (var i = 0; i < audio.Count; i++)
        {
            if (audioProblems[i] is { } problem)
            {
                rejected.Add(new RejectedFile(audio[i], problem));
            }
            else
            {
                goodAudio.Add((audio[i], audioInfo[i].Header, audioInfo[i].Silent));
            }
        }
        var goodCsvs = new List<string>();
        foreach (var csv in csvs)
        {
            if (OpenFaceHeaderProblem(Path.Combine(rootFull, csv)) is { } problem)
            {
                rejected.Add(new RejectedFile(csv, problem));
            }
            else
            {
                goodCsvs.Add(csv);
            }
        }
        var goodVideos = new List<string>();
        foreach (var video in videos)
        {
            if (new FileInfo(Path.Combine(rootFull, video)).Length == 0)
            {
                rejected.Add(new RejectedFile(video, "empty video file (0 bytes)"));
            }
            else
            {
                goodVideos.Add(video);
            }
        }

        var audioPaths = goodAudio.Select(a => a.Path).ToList();
        var csvMatch = Pair(audioPaths, goodCsvs, "OpenFace CSV", rejected);
        var videoMatch = Pair(audioPaths, goodVideos, "video", rejected);

        var entries = new List<ManifestEntry>();
        foreach (var (path, header, silent) in goodAudio)
        {
            csvMatch.TryGetValue(path, out var csv);
            videoMatch.TryGetValue(path, out var video);
            if (csv is null && video is null)
            {
                unpaired.Add(new RejectedFile(path, options.KeepAudioOnly
                    ? "audio without OpenFace CSV or video (kept: audio-only clips allowed)"
                    : "audio without OpenFace CSV or video"));
                if (!options.KeepAudioOnly)
                {
                    continue;
                }
            }
            var speaker = SpeakerOf(path, options.SpeakerRule, speakerPattern);
            if (speaker is null)
            {
                rejected.Add(new RejectedFile(path, options.SpeakerRule switch
                {
                    SpeakerRule.Pattern => $"speaker pattern '{options.SpeakerPattern}' does not match",
                    _ => "no speaker: the stem has no '_' and the file is at the corpus root",
                }));
                continue;
            }
            var extras = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["duration"] = header.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                ["source_format"] = header.Describe(),
            };
            if (silent)
            {
                extras["digital_silence"] = "true";
            }
            entries.Add(new ManifestEntry
            {
                Id = path[..^Path.GetExtension(path).Length],
                AudioPath = path,
                OpenFacePath = csv,
                VideoPath = video,
                Speaker = speaker,
                Extras = extras,
            });
        }
        var pairedOthers = csvMatch.Values.Concat(videoMatch.Values).ToHashSet(StringComparer.Ordinal);
        var rejectedPaths = rejected.Select(r => r.File).ToHashSet(StringComparer.Ordinal);
        foreach (var other in goodCsvs.Concat(goodVideos).Where(f => !pairedOthers.Contains(f) && !rejectedPaths.Contains(f)))
        {
            unpaired.Add(new RejectedFile(other, HasExtension(other, ".csv") ? "OpenFace CSV without audio" : "video without audio"));
        }
        var metadata = new ManifestMetadata(options.Name, ManifestMetadata.UnlabelledKind, rootFull,
            $"unlabelled audiovisual clips paired by file stem; speaker rule {options.SpeakerRule}");
        return new AvCorpusPreparation(
            new Manifest(metadata, rootFull, entries),
            rejected.OrderBy(r => r.File, StringComparer.Ordinal).ToList(),
            unpaired.OrderBy(r => r.File, StringComparer.Ordinal).ToList(),
            audio.Count, csvs.Count, videos.Count);
    }

    /// <summary>Prepares and writes the manifest (when any clip was kept), <c>rejected.csv</c> and <c>unpaired.csv</c>.</summary>
    public static AvCorpusPreparation PrepareAndSave(string root, string outputDirectory, AvCorpusOptions? options = null)
    {
        var result = Prepare(root, options);
        var outFull = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outFull);
        RejectedFile.WriteReport(Path.Combine(outFull, RejectedFile.ReportFileName), result.Rejected);
        RejectedFile.WriteReport(Path.Combine(outFull, UnpairedFileName), result.Unpaired);
        if (result.Manifest.Entries.Count > 0)
        {
            var relativeRoot = Path.GetRelativePath(outFull, result.Manifest.DataRoot).Replace('\\', '/');
            new Manifest(result.Manifest.Metadata with { DataRoot = relativeRoot }, result.Manifest.DataRoot, result.Manifest.Entries).Save(outFull);
        }
        return result;
    }

    /// <summary>The speaker of an audio path (relative, forward slashes), or null when the rule finds none.</summary>
    public static string? SpeakerOf(string relativeAudioPath, SpeakerRule rule, Regex? pattern = null)
    {
        var parts = relativeAudioPath.Split('/');
        var parent = parts.Length > 1 ? parts[^2] : null;
        var stem = Path.GetFileNameWithoutExtension(parts[^1]);
        switch (rule)
        {
            case SpeakerRule.StemPrefix:
                var underscore = stem.IndexOf('_');
                return underscore > 0 ? stem[..underscore] : parent;
            case SpeakerRule.ParentFolder:
                return parent;
            default:
                var match = pattern?.Match(relativeAudioPath);
                return match is { Success: true } && match.Groups["speaker"] is { Success: true, Length: > 0 } g ? g.Value : null;
        }
    }

    /// <summary>
    /// Pairs each audio file with at most one partner of the same stem; with several candidates on either
    /// side, a pair needs a unique best match of trailing parent-folder names in both directions.
    /// </summary>
    private static Dictionary<string, string> Pair(List<string> audio, List<string> partners, string kind, List<RejectedFile> rejected)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var audioByStem = audio.ToLookup(StemOf, StringComparer.Ordinal);
        var partnersByStem = partners.ToLookup(StemOf, StringComparer.Ordinal);
        foreach (var group in partnersByStem)
        {
            var candidatesAudio = audioByStem[group.Key].ToList();
            var candidatesPartner = group.ToList();
            if (candidatesAudio.Count == 0)
            {
                continue;
            }
            if (candidatesAudio.Count == 1 && candidatesPartner.Count == 1)
            {
                result[candidatesAudio[0]] = candidatesPartner[0];
                continue;
            }
            foreach (var a in candidatesAudio)
            {
                var best = UniqueBest(a, candidatesPartner);
                if (best is not null && UniqueBest(best, candidatesAudio) == a)
                {
                    result[a] = best;
                }
            }
            foreach (var p in candidatesPartner.Where(p => !result.ContainsValue(p)))
            {
                rejected.Add(new RejectedFile(p,
                    $"ambiguous {kind}: {candidatesAudio.Count} audio files and {candidatesPartner.Count} {kind} files are named '{group.Key}' and folder names do not tell them apart"));
            }
        }
        return result;
    }

    private static string? UniqueBest(string from, List<string> candidates)
    {
        var scored = candidates.Select(c => (c, Score: CommonFolderSuffix(from, c))).OrderByDescending(x => x.Score).ToList();
        return scored.Count == 1 || scored[0].Score > scored[1].Score ? scored[0].c : null;
    }

    private static int CommonFolderSuffix(string a, string b)
    {
        var fa = a.Split('/')[..^1];
        var fb = b.Split('/')[..^1];
        var n = 0;
        while (n < fa.Length && n < fb.Length && string.Equals(fa[^(n + 1)], fb[^(n + 1)], StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    private static string StemOf(string path) => Path.GetFileNameWithoutExtension(path);

    private static bool HasExtension(string path, string extension) =>
        path.EndsWith(extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>OpenFace 2.x FeatureExtraction writes a header with <c>frame</c>, <c>timestamp</c> and <c>success</c> (often space-padded).</summary>
    private static string? OpenFaceHeaderProblem(string path)
    {
        string? firstLine;
        using (var reader = new StreamReader(path))
        {
            firstLine = reader.ReadLine();
        }
        if (string.IsNullOrWhiteSpace(firstLine))
        {
            return "not an OpenFace CSV: empty file";
        }
        var columns = firstLine.Split(',').Select(c => c.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = new[] { "timestamp", "success" }.Where(c => !columns.Contains(c)).ToList();
        return missing.Count == 0 ? null : $"not an OpenFace CSV: header lacks {string.Join(" and ", missing.Select(m => $"'{m}'"))}";
    }
}
