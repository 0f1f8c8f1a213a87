using System.Globalization;
using CsvHelper;

namespace SerNotebooks.Data.CremaD;

/// <summary>How the raters of CREMA-D's perception study saw one clip: vote counts per rating modality.</summary>
public sealed record ClipPerception(IReadOnlyDictionary<RatingModality, RaterVoteCounts> Votes);

/// <summary>A rater-vote row that was left out, or a clip without votes; <see cref="Line"/> is null when no line is at fault.</summary>
public sealed record RaterVoteProblem(string File, int? Line, string Clip, string Reason)
{
    public const string ReportFileName = "vote-problems.csv";

    /// <summary>Writes <c>file,line,clip,reason</c> rows atomically (header only when there is no problem).</summary>
    public static void WriteReport(string path, IEnumerable<RaterVoteProblem> problems) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var column in new[] { "file", "line", "clip", "reason" })
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (var p in problems)
            {
                csv.WriteField(p.File);
                csv.WriteField(p.Line?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
                csv.WriteField(p.Clip);
                csv.WriteField(p.Reason);
                csv.NextRecord();
            }
        });
}

/// <summary>
/// CREMA-D's perception study read per clip from <c>tabulatedVotes.csv</c> (vote counts) and, when present,
/// <c>summaryTable.csv</c> (the majority votes, used as a cross-check). A malformed row, a second row for the same clip
/// and modality, or a majority that disagrees between the two files is reported (file, line, clip) and that clip's
/// modality is left without votes: nothing is repaired or guessed.
/// </summary>
public sealed class CremaDPerception
{
    /// <summary>Manifest column suffix of each rating modality (<c>votes_voice</c>, <c>perceived_av</c>, …).</summary>
    public static readonly IReadOnlyDictionary<RatingModality, string> ColumnSuffix = new Dictionary<RatingModality, string>
    {
        [RatingModality.Voice] = "voice",
        [RatingModality.Face] = "face",
        [RatingModality.AudioVisual] = "av",
    };

    public const string VotesColumnPrefix = "votes_";
    public const string PerceivedColumnPrefix = "perceived_";

    private readonly HashSet<(string Clip, RatingModality Modality)> reported = [];

    private CremaDPerception(string tabulatedPath, string? summaryPath)
    {
        TabulatedPath = tabulatedPath;
        SummaryPath = summaryPath;
    }

    /// <summary>The vote table read (its resolved path: plain or <c>.gz</c>).</summary>
    public string TabulatedPath { get; }

    /// <summary>The summary table used as a cross-check; null when there is none.</summary>
    public string? SummaryPath { get; }

    /// <summary>Good rows read from <see cref="TabulatedPath"/>.</summary>
    public int RowsRead { get; private set; }

    /// <summary>Every clip with at least one modality's votes.</summary>
    public IReadOnlyDictionary<string, ClipPerception> Clips { get; private set; } = new Dictionary<string, ClipPerception>();

    /// <summary>Rows left out and why, in file and line order.</summary>
    public IReadOnlyList<RaterVoteProblem> Problems { get; private set; } = [];

    /// <summary>
    /// The perception tables of a CREMA-D checkout: <c>processedResults/tabulatedVotes.csv</c> (the official layout) or
    /// <c>tabulatedVotes.csv</c> at the root, plain or gzip-compressed, with <c>summaryTable.csv</c> beside it when present;
    /// null when the checkout has no vote table.
    /// </summary>
    public static CremaDPerception? Find(string root)
    {
        foreach (var folder in new[] { Path.Combine(root, CremaDCorpus.ProcessedResultsFolder), root })
        {
            var tabulated = Path.Combine(folder, CremaDRaterVotes.TabulatedVotesFileName);
            if (Exists(tabulated))
            {
                var summary = Path.Combine(folder, CremaDRaterVotes.SummaryTableFileName);
                return Load(tabulated, Exists(summary) ? summary : null);
            }
        }
        return null;
    }

    private static bool Exists(string path) => File.Exists(path) || File.Exists(path + CremaDMetadataFile.GzipExtension);

    /// <summary>Reads both tables (see the class summary for what is reported).</summary>
    public static CremaDPerception Load(string tabulatedPath, string? summaryPath)
    {
        var perception = new CremaDPerception(CremaDMetadataFile.Resolve(tabulatedPath), summaryPath is null ? null : CremaDMetadataFile.Resolve(summaryPath));
        perception.Read();
        return perception;
    }

    /// <summary>A problem for every clip of <paramref name="clipIds"/> that has no votes in some modality and was not reported already.</summary>
    public IEnumerable<RaterVoteProblem> MissingFor(IEnumerable<string> clipIds)
    {
        foreach (var clip in clipIds)
        {
            foreach (var modality in ColumnSuffix.Keys)
            {
                var has = Clips.TryGetValue(clip, out var perception) && perception.Votes.ContainsKey(modality);
                if (!has && !reported.Contains((clip, modality)))
                {
                    yield return new RaterVoteProblem(TabulatedPath, null, clip, $"clip {clip}: no {Describe(modality)} row");
                }
            }
        }
    }

    /// <summary>The manifest's extra columns of a clip: <c>votes_&lt;modality&gt;</c> and <c>perceived_&lt;modality&gt;</c> per modality with votes.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ManifestColumns(ClipPerception clip)
    {
        foreach (var (modality, votes) in clip.Votes)
        {
            yield return new(VotesColumnPrefix + ColumnSuffix[modality], votes.Format());
            yield return new(PerceivedColumnPrefix + ColumnSuffix[modality], votes.PerceivedLabel);
        }
    }

    /// <summary>
    /// The votes in a manifest row's <c>votes_&lt;modality&gt;</c> columns (<see cref="ManifestColumns"/>' format); null when
    /// it has none. A malformed column is an <see cref="InvalidDataException"/> naming the clip and column.
    /// </summary>
    public static ClipPerception? FromManifestColumns(ManifestEntry entry)
    {
        var votes = new Dictionary<RatingModality, RaterVoteCounts>();
        foreach (var (modality, suffix) in ColumnSuffix)
        {
            if (entry.Extras.TryGetValue(VotesColumnPrefix + suffix, out var text) && text.Length > 0)
            {
                votes[modality] = RaterVoteCounts.TryParse(text, out var problem)
                    ?? throw new InvalidDataException($"clip '{entry.Id}', column {VotesColumnPrefix + suffix}: {problem}");
            }
        }
        return votes.Count == 0 ? null : new ClipPerception(votes);
    }

    private static string Describe(RatingModality modality) => modality switch
    {
        RatingModality.Voice => "voice-only",
        RatingModality.Face => "face-only",
        _ => "audiovisual",
    };

    private void Read()
    {
        var problems = new List<RaterVoteProblem>();
        void Report(ManifestFormatException e) => problems.Add(new RaterVoteProblem(e.FilePath, e.Line, ClipOf(e.Reason), e.Reason));

        var rows = CremaDRaterVotes.ReadTabulated(TabulatedPath, Report);
        RowsRead = rows.Count;
        var votes = new Dictionary<(string, RatingModality), RaterVoteCounts>();
        foreach (var group in rows.GroupBy(r => (r.FileName, r.Modality)))
        {
            var first = group.First();
            if (group.Count() > 1)
            {
                Drop(problems, first.FileName, first.Modality, group.Skip(1).First().Line,
                    $"{Describe(first.Modality)} votes given {group.Count()} times (lines {string.Join(", ", group.Select(r => r.Line))})");
                continue;
            }
            var counts = new RaterVoteCounts(first.Counts);
            var fromCounts = MajorityCodes(counts);
            if (first.EmotionVote != fromCounts)
            {
                Drop(problems, first.FileName, first.Modality, first.Line,
                    $"emoVote '{first.EmotionVote}' is not the majority of the counts ({counts.Format()} → '{fromCounts}')");
                continue;
            }
            votes[(first.FileName, first.Modality)] = counts;
        }
        if (SummaryPath is not null)
        {
            CrossCheck(votes, problems);
        }
        Clips = votes.GroupBy(v => v.Key.Item1, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new ClipPerception(g.OrderBy(v => v.Key.Item2).ToDictionary(v => v.Key.Item2, v => v.Value)),
            StringComparer.Ordinal);
        Problems = problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line ?? int.MaxValue).ThenBy(p => p.Clip, StringComparer.Ordinal).ToList();
    }

    /// <summary>Leaves out every modality whose majority summaryTable.csv states differently (or does not state).</summary>
    private void CrossCheck(Dictionary<(string, RatingModality), RaterVoteCounts> votes, List<RaterVoteProblem> problems)
    {
        var summary = new Dictionary<string, CremaDSummaryVote>(StringComparer.Ordinal);
        foreach (var row in CremaDRaterVotes.ReadSummary(SummaryPath!, e => problems.Add(new RaterVoteProblem(e.FilePath, e.Line, ClipOf(e.Reason), e.Reason))))
        {
            if (!summary.TryAdd(row.FileName, row))
            {
                problems.Add(new RaterVoteProblem(SummaryPath!, row.Line, row.FileName, $"second row for clip {row.FileName} (first at line {summary[row.FileName].Line}); the first is used"));
            }
        }
        foreach (var ((clip, modality), counts) in votes.ToArray())
        {
            var expected = MajorityCodes(counts);
            if (!summary.TryGetValue(clip, out var row))
            {
                continue; // Votes without a summary row are still votes; the summary is only a cross-check.
            }
            if (row.Votes[modality] != expected)
            {
                votes.Remove((clip, modality));
                Drop(problems, clip, modality, row.Line, SummaryPath!,
                    $"{CremaDRaterVotes.SummaryColumns[modality]} '{row.Votes[modality]}' disagrees with {CremaDRaterVotes.TabulatedVotesFileName}'s majority '{expected}'");
            }
        }
    }

    /// <summary>The majority as the files write it: emotion codes, ties joined with ':' (<c>N:S</c>).</summary>
    private static string MajorityCodes(RaterVoteCounts counts) =>
        string.Join(':', counts.Majority.Select(e => CremaDRaterVotes.EmotionCodes[RaterVoteCounts.IndexOf(e)]));

    private void Drop(List<RaterVoteProblem> problems, string clip, RatingModality modality, int line, string reason) =>
        Drop(problems, clip, modality, line, TabulatedPath, reason);

    private void Drop(List<RaterVoteProblem> problems, string clip, RatingModality modality, int line, string file, string reason)
    {
        reported.Add((clip, modality));
        problems.Add(new RaterVoteProblem(file, line, clip, $"clip {clip}: {reason}; its {Describe(modality)} votes are left out"));
    }

    /// <summary>The clip a row error names (the readers start the reason with "clip &lt;name&gt;: "); empty when it names none.</summary>
    private static string ClipOf(string reason) =>
        reason.StartsWith("clip ", StringComparison.Ordinal) && reason.IndexOf(':', StringComparison.Ordinal) is var colon and > 5 ? reason[5..colon] : string.Empty;
}
