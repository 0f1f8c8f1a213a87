using SerNotebooks.Data;
using SerNotebooks.Data.Splits;

namespace SerNotebooks.Ablation;

/// <summary>
/// k-fold cross-validation by actor: the emotion corpus's speakers are dealt into k disjoint folds
/// (<see cref="ActorSplitGenerator.KFold"/>: sex-stratified when the manifest gives the sex, with a fixed split seed,
/// so the same speakers always give the same folds). Fold f tests its own speakers, uses the next fold's speakers
/// (fold f + 1, wrapping to fold 1) for development and trains on the rest, so every speaker is tested exactly
/// once over the k folds and no speaker is in two splits of one fold.
/// </summary>
public sealed class SpeakerFolds
{
    /// <summary>Seed of the speaker shuffle: fixed, so a corpus always gets the same folds (independent of the training seeds).</summary>
    public const int SplitSeed = 1;

    /// <summary>Test, dev and train each need at least one fold.</summary>
    public const int MinimumFolds = 3;

    /// <summary>CREMA-D's sessions in the literature (by actor id: <c>CremaDCorpus.SessionOf</c>).</summary>
    public const int CremaDSessions = 5;

    /// <summary>The prefix of a session in a prepared manifest's split column (<c>session1</c>…<c>session5</c>).</summary>
    public const string SessionPrefix = "session";

    /// <summary>Throws unless <paramref name="folds"/> is a usable fold count (at least <see cref="MinimumFolds"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Too few folds: nothing would be left to train on.</exception>
    public static void RequireValidCount(int folds)
    {
        if (folds < MinimumFolds)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds,
                $"k-fold by actor needs at least {MinimumFolds} folds (one to test, the next for development, the rest to train), got {folds}");
        }
    }

    private readonly IReadOnlyList<ActorAssignment> _assignments;

    private SpeakerFolds(int count, IReadOnlyList<ActorAssignment> assignments, bool stratifiedBySex, bool bySession = false)
    {
        Count = count;
        _assignments = assignments;
        StratifiedBySex = stratifiedBySex;
        BySession = bySession;
    }

    /// <summary>Whether the folds are given sessions (<see cref="FromSessions"/>) rather than a seeded deal.</summary>
    public bool BySession { get; }

    /// <summary>k.</summary>
    public int Count { get; }

    /// <summary>Whether the manifest gave the sex of every speaker (the folds then mix the sexes in proportion).</summary>
    public bool StratifiedBySex { get; }

    /// <summary>Every speaker and its fold (1..k).</summary>
    public IReadOnlyDictionary<string, int> FoldOf =>
        _assignments.ToDictionary(a => a.Actor, a => FoldNumber(a.Split), StringComparer.Ordinal);

    /// <summary>Deals the speakers of <paramref name="entries"/> into <paramref name="folds"/> folds.</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumFolds"/> folds, more folds than speakers, or a speaker with two different sexes.</exception>
    public static SpeakerFolds Create(IEnumerable<ManifestEntry> entries, int folds)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var speakers = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var sex = string.IsNullOrWhiteSpace(entry.Sex) ? null : ActorInfo.NormalizeSex(entry.Sex);
            if (!speakers.TryGetValue(entry.Speaker, out var known) || known is null)
            {
                speakers[entry.Speaker] = sex;
            }
            else if (sex is not null && sex != known)
            {
                throw new ArgumentException($"speaker {entry.Speaker} is listed as {known} and as {sex} (clip {entry.Id})", nameof(entries));
            }
        }
        RequireValidCount(folds);
        if (folds > speakers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"{folds} folds need at least {folds} speakers; the corpus has {speakers.Count}");
        }
        var stratified = speakers.Values.All(s => s is not null);
        // Without a (complete) sex column every speaker is in one group: the deal is then a seeded shuffle of the speaker ids.
        var actors = speakers.Select(s => new ActorInfo(s.Key, stratified ? s.Value! : "unknown"));
        var assignments = ActorSplitGenerator.KFold(actors, folds, SplitSeed);
        return new SpeakerFolds(folds, assignments, stratified);
    }

    /// <summary>
    /// The folds the manifest already gives: every clip's split column holds <c>session1</c>…<c>session&lt;k&gt;</c>
    /// (CREMA-D prepared with <c>--split-protocol sessions-5</c>), session i becoming fold i. Nothing is drawn.
    /// </summary>
    /// <exception cref="ArgumentException">A clip without a session, a speaker in two sessions, a missing session, or fewer than <see cref="MinimumFolds"/> sessions.</exception>
    public static SpeakerFolds FromSessions(IEnumerable<ManifestEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sessionOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (SessionNumber(entry.Split) is not { } session)
            {
                throw new ArgumentException($"clip {entry.Id} has split '{entry.Split}', not a session ({SessionPrefix}1…)", nameof(entries));
            }
            if (sessionOf.TryGetValue(entry.Speaker, out var known) && known != session)
            {
                throw new ArgumentException($"speaker {entry.Speaker} is in {SessionPrefix}{known} and in {SessionPrefix}{session} (clip {entry.Id})", nameof(entries));
            }
            sessionOf[entry.Speaker] = session;
        }
        var count = sessionOf.Count == 0 ? 0 : sessionOf.Values.Max();
        RequireValidCount(count);
        if (Enumerable.Range(1, count).FirstOrDefault(s => !sessionOf.ContainsValue(s)) is var missing and > 0)
        {
            throw new ArgumentException($"{SessionPrefix}{missing} has no speaker: sessions 1..{count} must all be present", nameof(entries));
        }
        var assignments = sessionOf.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new ActorAssignment(p.Key, "unknown", $"fold{p.Value}"))
            .ToList();
        return new SpeakerFolds(count, assignments, stratifiedBySex: false, bySession: true);
    }

    /// <summary>i of a split value <c>session&lt;i&gt;</c> (i ≥ 1), or null.</summary>
    public static int? SessionNumber(string? split) =>
        split is not null && split.StartsWith(SessionPrefix, StringComparison.Ordinal)
        && int.TryParse(split.AsSpan(SessionPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 1
            ? i
            : null;

    /// <summary>The speakers of fold <paramref name="fold"/> (1..k), in id order.</summary>
    public IReadOnlyList<string> SpeakersOf(int fold)
    {
        CheckFold(fold);
        return _assignments.Where(a => FoldNumber(a.Split) == fold).Select(a => a.Actor).ToList();
    }

    /// <summary>The fold that serves as development set when <paramref name="fold"/> is tested: the next one, wrapping around.</summary>
    public int DevFoldOf(int fold)
    {
        CheckFold(fold);
        return fold % Count + 1;
    }

    /// <summary>Speaker → train/dev/test when fold <paramref name="fold"/> is tested (the <c>speakerSplits</c> of its fine-tuning runs).</summary>
    public IReadOnlyDictionary<string, string> SplitsFor(int fold)
    {
        CheckFold(fold);
        var dev = DevFoldOf(fold);
        return _assignments.ToDictionary(
            a => a.Actor,
            a => FoldNumber(a.Split) == fold ? ActorSplitGenerator.Test : FoldNumber(a.Split) == dev ? ActorSplitGenerator.Dev : ActorSplitGenerator.Train,
            StringComparer.Ordinal);
    }

    /// <summary>One line per fold: its test speakers.</summary>
    public string Describe() =>
        string.Join("; ", Enumerable.Range(1, Count).Select(f => $"{(BySession ? "session" : "fold")} {f}: {string.Join(" ", SpeakersOf(f))}"));

    private void CheckFold(int fold)
    {
        if (fold < 1 || fold > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(fold), fold, $"folds are numbered 1..{Count}");
        }
    }

    // ActorSplitGenerator names folds "fold1".."foldK".
    private static int FoldNumber(string split) => int.Parse(split.AsSpan("fold".Length), System.Globalization.CultureInfo.InvariantCulture);
}
