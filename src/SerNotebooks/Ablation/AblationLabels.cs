using System.Security.Cryptography;
using System.Text;
using SerNotebooks.Data;
using SerNotebooks.Features;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation;

/// <summary>
/// The pre-training labels of an ablation, made once and kept on disk in <c>&lt;out&gt;/labels/&lt;key&gt;/</c>
/// (<see cref="PretextLabelSetFile"/> files), so that every pre-training run, whether it trains in this process,
/// in a worker process or in a cluster job, reads the same labels. The labels of a task depend only on the
/// corpus, the chunking and the training clips its thresholds are fitted on, not on the other tasks of a run: the
/// key hashes the tasks, the chunking and those clips. A run's config does not name the folder, so where labels
/// come from does not change a run's identity.
/// </summary>
public static class AblationLabels
{
    public const string FolderName = "labels";

    /// <summary>Written last: the folder holds every label set it lists.</summary>
    public const string CompleteFileName = "complete.txt";

    /// <summary>How long a command waits between looks at labels another command is making.</summary>
    private static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The folder holding labels of <paramref name="tasks"/> for the pre-training runs of <paramref name="config"/>'s
    /// corpus, making them first when missing (with <paramref name="source"/>, or the default labelling pipeline).
    /// Two commands on one output folder make them once: the second waits for the first.
    /// </summary>
    /// <param name="root">The ablation's output folder.</param>
    /// <param name="tasks">Every task any pre-training run of the ablation needs.</param>
    /// <param name="config">A pre-training run of the ablation (its manifests, chunking, splits and feature cache).</param>
    /// <param name="source">Where labels come from; null labels with <paramref name="registry"/>.</param>
    /// <param name="registry">The tasks (the plan's <see cref="AblationPlan.Registry"/>), used when <paramref name="source"/> is null.</param>
    /// <param name="report">Told once when labelling starts, and when waiting for another command.</param>
    /// <param name="cancellationToken">Checked while waiting.</param>
    public static string Ensure(
        string root,
        IReadOnlyList<string> tasks,
        TrainingConfig config,
        IPretextLabelSource? source,
        PretextTaskRegistry registry,
        Action<string>? report,
        CancellationToken cancellationToken)
    {
        var trainingClips = TrainingRun.SelectClips(config)
            .Where(c => c.Split == TrainingRun.TrainRole)
            .Select(c => c.Entry.Id)
            .ToHashSet(StringComparer.Ordinal);
        var scope = Scope(config, trainingClips);
        var directory = Path.Combine(Path.GetFullPath(root), FolderName, Key(tasks, scope));
        var waitingReported = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsComplete(directory, tasks))
            {
                return directory;
            }
            using (var claim = RunClaim.TryAcquire(directory, out var holder))
            {
                if (claim is not null)
                {
                    if (!IsComplete(directory, tasks))
                    {
                        Make(directory, tasks, scope, config, trainingClips, source, registry, report, cancellationToken);
                    }
                    return directory;
                }
                if (!waitingReported)
                {
                    report?.Invoke($"waiting for the labels {holder?.Describe() ?? "another process"} is making in {directory}");
                    waitingReported = true;
                }
            }
            cancellationToken.WaitHandle.WaitOne(WaitInterval);
        }
    }

    private static bool IsComplete(string directory, IReadOnlyList<string> tasks)
    {
        var path = Path.Combine(directory, CompleteFileName);
        return File.Exists(path) && tasks.All(File.ReadAllLines(path).ToHashSet(StringComparer.Ordinal).Contains);
    }

    private static void Make(string directory, IReadOnlyList<string> tasks, string scope, TrainingConfig config, HashSet<string> trainingClips,
        IPretextLabelSource? source, PretextTaskRegistry registry, Action<string>? report, CancellationToken cancellationToken)
    {
        // A task's labels depend on the scope (corpus, chunking, fitting clips), never on the tasks labelled beside it, so a
        // task that a finished set of the same scope has is copied from there (notebook 07's study adds tasks to the ablation's).
        var reused = source is null ? CopyFromSiblings(directory, tasks, scope) : [];
        var missing = tasks.Where(t => !reused.Contains(t)).ToList();
        report?.Invoke(string.Join("; ", new[]
        {
            missing.Count == 0 ? "" : string.Join(", ", missing),
            reused.Count == 0 ? "" : $"reusing {string.Join(", ", reused)} from a label set of the same corpus, chunking and fitting clips",
        }.Where(part => part.Length > 0)));
        IReadOnlyList<PretextLabelSet> sets = [];
        if (missing.Count > 0)
        {
            var cache = config.FeatureCache is null ? null : new FeatureCache(config.FeatureCache);
            var features = new FeatureExtractor(cache: cache);
            var manifests = config.Manifests.Select(Manifest.Load).ToArray();
            sets = source is null
                ? new PretextLabelling(registry, features, config.Chunking) { Windowing = config.Rows }
                    .Run(manifests, missing, trainingClips.ToList(), cancellationToken: cancellationToken).LabelSets.Values.ToList()
                : source.GetLabelSets(new PretextLabelRequest(manifests, missing, trainingClips, config.Chunking, features, config.Rows));
        }
        foreach (var set in sets)
        {
            PretextLabelSetFile.Write(set, directory);
        }
        AtomicFile.WriteAllText(Path.Combine(directory, ScopeFileName), Hash(scope) + "\n");
        AtomicFile.WriteAllText(Path.Combine(directory, CompleteFileName), string.Join('\n', reused.Concat(sets.Select(s => s.TaskName))) + "\n");
    }

    /// <summary>A label set's scope hash (<see cref="Scope"/>): a set of the same scope may copy its tasks.</summary>
    public const string ScopeFileName = "scope.txt";

    /// <summary>Copies, for each task a finished sibling set of the same scope holds, its two files; returns those tasks.</summary>
    private static List<string> CopyFromSiblings(string directory, IReadOnlyList<string> tasks, string scope)
    {
        var reused = new List<string>();
        var hash = Hash(scope);
        var parent = Path.GetDirectoryName(directory)!;
        var siblings = Directory.GetDirectories(parent).Order(StringComparer.Ordinal)
            .Where(d => d != directory && File.Exists(Path.Combine(d, ScopeFileName)) && File.ReadAllText(Path.Combine(d, ScopeFileName)).Trim() == hash)
            .ToList();
        foreach (var task in tasks)
        {
            if (siblings.FirstOrDefault(d => IsComplete(d, [task])) is not { } from)
            {
                continue;
            }
            AtomicFile.WriteAllBytes(PretextLabelSetFile.CsvPath(directory, task), File.ReadAllBytes(PretextLabelSetFile.CsvPath(from, task)));
            AtomicFile.WriteAllBytes(PretextLabelSetFile.JsonPath(directory, task), File.ReadAllBytes(PretextLabelSetFile.JsonPath(from, task)));
            reused.Add(task);
        }
        return reused;
    }

    /// <summary>
    /// The first 16 hex digits of a SHA-256 over the tasks and the <see cref="Scope"/> (the same text as before scopes were
    /// recorded, so earlier folders keep their keys).
    /// </summary>
    private static string Key(IReadOnlyList<string> tasks, string scope) => Hash(new StringBuilder()
        .Append("tasks:").AppendJoin(',', tasks.Order(StringComparer.Ordinal)).Append('\n')
        .Append(scope).ToString());

    /// <summary>
    /// What a task's labels depend on besides the task: the chunking, windows (only when windowed, so earlier keys stay), the
    /// manifests' content and the sorted ids of the clips the labellers are fitted on.
    /// </summary>
    private static string Scope(TrainingConfig config, IReadOnlySet<string> trainingClips) => new StringBuilder()
        .Append("chunking:").Append(System.Text.Json.JsonSerializer.Serialize(config.Chunking)).Append('\n')
        .Append(config.Rows == Features.Shards.ShardWindowing.Windows ? "windowing:windows\n" : "")
        .Append("manifests:").Append(RunFolder.HashManifests(config.Manifests)).Append('\n')
        .AppendJoin('\n', trainingClips.Order(StringComparer.Ordinal)).ToString();

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
