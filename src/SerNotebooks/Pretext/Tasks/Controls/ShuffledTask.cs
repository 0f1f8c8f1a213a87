using System.Text.Json;

namespace SerNotebooks.Pretext.Tasks.Controls;

/// <summary>
/// Negative control <c>shuffled-&lt;task&gt;</c>: a paper task's labels permuted across clips. Every label value
/// occurs as often as before (same class balance, same chunk structure), but a clip's label now belongs to another
/// clip, so it says nothing about this clip's speech. Pre-training on it shows what the pipeline gives without
/// information (a regulariser, a warm start of the weights' scale): a paper task must beat it to count as learned
/// transfer.
/// </summary>
/// <remarks>
/// The permutation is a seeded shuffle of the fitted clips in id order (seed <see cref="PermutationSeed"/>), so the
/// same corpus gets the same shuffled labels in every run. A clip that was not among the fitted ones (there are
/// none in the ablation, which labels the whole pre-training corpus) takes the labels of a fitted clip chosen by a
/// stable hash of its id.
/// </remarks>
public sealed class ShuffledTask(IPretextTask inner) : IControlTask
{
    public const string Prefix = "shuffled-";
    public const int PermutationSeed = 20221;

    public IPretextTask Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public string Name => Prefix + Inner.Name;

    public string Description => $"Control (negative): the labels of {Inner.Name} permuted across clips — same distribution, no information.";

    public string ControlRole => $"negative control: {Inner.Name}'s labels with their information removed";

    public LabelGranularity Granularity => Inner.Granularity;

    public IReadOnlyList<string> Classes => Inner.Classes;

    public TaskMeasurement Measure(PretextClip clip) => Inner.Measure(clip);

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var innerLabeller = Inner.Fit(training);
        var labelled = training
            .OrderBy(m => m.ClipId, StringComparer.Ordinal)
            .Select(innerLabeller.Label)
            .Where(l => l.HasAnyLabel)
            .ToList();
        if (labelled.Count == 0)
        {
            throw new InvalidOperationException($"{Name}: {Inner.Name} gave no training clip a label, so there is nothing to shuffle");
        }
        // Fisher–Yates with System.Random's seeded generator is not promised across .NET versions: use a fixed LCG.
        var order = Enumerable.Range(0, labelled.Count).ToArray();
        var state = (ulong)PermutationSeed;
        for (var i = order.Length - 1; i > 0; i--)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            var j = (int)((state >> 33) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        var partner = new Dictionary<string, ClipTaskLabels>(StringComparer.Ordinal);
        for (var i = 0; i < labelled.Count; i++)
        {
            partner[labelled[i].ClipId] = labelled[order[i]];
        }
        return new ShuffledLabeller(Name, labelled, partner, JsonSerializer.Serialize(new
        {
            task = Name,
            shuffles = Inner.Name,
            permutationSeed = PermutationSeed,
            clips = labelled.Count,
            inner = JsonDocument.Parse(innerLabeller.StateJson).RootElement,
        }));
    }

    private sealed class ShuffledLabeller(string taskName, IReadOnlyList<ClipTaskLabels> labelled, IReadOnlyDictionary<string, ClipTaskLabels> partner, string stateJson)
        : ITaskLabeller
    {
        public string TaskName => taskName;

        public string StateJson => stateJson;

        public ClipTaskLabels Label(TaskMeasurement measurement)
        {
            ArgumentNullException.ThrowIfNull(measurement);
            if (!measurement.IsUsable)
            {
                return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source, measurement.SkipReason);
            }
            var source = partner.TryGetValue(measurement.ClipId, out var known) ? known : labelled[StableIndex(measurement.ClipId, labelled.Count)];
            return source with { ClipId = measurement.ClipId, ChunkLabels = source.ChunkLabels?.ToArray() };
        }

        private static int StableIndex(string id, int count)
        {
            // FNV-1a: string.GetHashCode is randomised per process.
            var hash = 2166136261u;
            foreach (var c in id)
            {
                hash = (hash ^ c) * 16777619u;
            }
            return (int)(hash % (uint)count);
        }
    }
}
