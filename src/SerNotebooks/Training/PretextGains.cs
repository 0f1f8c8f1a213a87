using System.Globalization;
using Deedle;

namespace SerNotebooks.Training;

/// <summary>
/// One pretext task in one kind of pre-training run, averaged over seeds: its label prior's entropy, the best epoch's
/// pretext dev cross-entropy and the information gained (both in nats), dev accuracy and balanced accuracy, and how
/// long the runs trained.
/// </summary>
/// <param name="Task">The pretext task.</param>
/// <param name="Runs">"alone" (the task's own pre-training run) or the task combination it was trained in.</param>
/// <param name="Seeds">Runs averaged (one per seed).</param>
/// <param name="PriorEntropy">Entropy of the task's training labels, nats.</param>
/// <param name="DevCrossEntropy">Unweighted cross-entropy on the pretext dev speakers at the best epoch, nats.</param>
/// <param name="InformationGain">PriorEntropy − DevCrossEntropy, nats.</param>
/// <param name="DevAccuracy">Dev accuracy at the best epoch.</param>
/// <param name="DevBalancedAccuracy">Dev mean recall over the classes present.</param>
/// <param name="Epochs">Epochs trained (early stopping included).</param>
/// <param name="BestEpoch">The epoch kept.</param>
/// <param name="Seconds">Training seconds per run (sum of metrics.csv's per-epoch seconds).</param>
/// <param name="ClassWeighted">True when the task trained with class weights (in any of the runs).</param>
public sealed record PretextGainRow(
    string Task, string Runs, int Seeds, double PriorEntropy, double DevCrossEntropy, double InformationGain,
    double DevAccuracy, double DevBalancedAccuracy, double Epochs, double BestEpoch, double Seconds, bool ClassWeighted = false);

/// <summary>
/// Did pre-training learn each pretext task? Reads finished pre-training runs (final-metrics.json, metrics.csv) and
/// states, from the numbers, which tasks gained no information over their label prior.
/// </summary>
public static class PretextGains
{
    /// <summary>A gain at or below this many nats counts as none: a model this close to the prior predicts nothing.</summary>
    public const double NoGainThreshold = 0.01;

    public const string Alone = "alone";

    /// <summary>
    /// Per classification task: the mean over seeds of its single-task runs ("alone") and of the largest combination that holds it.
    /// Runs without final-metrics.json or without a pretext dev set are left out.
    /// </summary>
    /// <param name="runs">Each pre-training run: its combination name, its tasks and its folder.</param>
    public static IReadOnlyList<PretextGainRow> Summarise(IEnumerable<(string Combination, IReadOnlyList<string> Tasks, string Directory)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var finished = runs
            .Select(r => (r.Combination, r.Tasks, Folder: new RunFolder(r.Directory), Result: RunFolder.ReadJson<TrainingResult>(new RunFolder(r.Directory).FinalMetricsPath)))
            .Where(r => r.Result is not null && r.Result.Metrics.ContainsKey("dev_loss"))
            .ToList();
        var rows = new List<PretextGainRow>();
        var largest = finished.Count == 0 ? 0 : finished.Max(r => r.Tasks.Count);
        // Classification tasks only: a regression task has no label prior (its dev columns are MSE and R²).
        foreach (var task in finished.SelectMany(r => r.Tasks).Distinct()
                     .Where(task => finished.Any(r => r.Result!.Metrics.ContainsKey($"prior_entropy_{task}"))))
        {
            var groups = new[]
            {
                (Name: Alone, Runs: finished.Where(r => r.Tasks.Count == 1 && r.Tasks[0] == task).ToList()),
                (Name: finished.FirstOrDefault(r => r.Tasks.Count == largest && largest > 1 && r.Tasks.Contains(task)).Combination ?? "",
                    Runs: finished.Where(r => r.Tasks.Count == largest && largest > 1 && r.Tasks.Contains(task)).ToList()),
            };
            foreach (var (name, group) in groups.Where(g => g.Runs.Count > 0))
            {
                double Mean(string metric) => group.Average(r => r.Result!.Metrics.TryGetValue($"{metric}_{task}", out var v) ? v : double.NaN);
                rows.Add(new PretextGainRow(task, name, group.Count, Mean("prior_entropy"), Mean("dev_loss"), Mean("dev_info_gain"),
                    Mean("dev_accuracy"), Mean("dev_balanced_accuracy"),
                    group.Average(r => r.Result!.EpochsRun), group.Average(r => r.Result!.BestEpoch),
                    group.Average(r => r.Folder.ReadMetrics(int.MaxValue).Sum(row => row.TryGetValue("seconds", out var s) ? s : 0)),
                    group.Any(r => r.Result!.Metrics.TryGetValue($"class_weighted_{task}", out var w) && w > 0)));
            }
        }
        return rows;
    }

    /// <summary>The rows as a table for notebooks (numbers rounded to 4 decimals).</summary>
    public static Frame<int, string> Frame(IReadOnlyList<PretextGainRow> rows) =>
        Deedle.Frame.FromRecords(rows.Select(r => new
        {
            task = r.Task,
            runs = r.Runs,
            seeds = r.Seeds,
            prior_entropy_nats = Math.Round(r.PriorEntropy, 4),
            dev_cross_entropy_nats = Math.Round(r.DevCrossEntropy, 4),
            information_gain_nats = Math.Round(r.InformationGain, 4),
            dev_accuracy = Math.Round(r.DevAccuracy, 4),
            dev_balanced_accuracy = Math.Round(r.DevBalancedAccuracy, 4),
            epochs = r.Epochs,
            best_epoch = r.BestEpoch,
            seconds = Math.Round(r.Seconds, 1),
            class_weighted = r.ClassWeighted,
        }).ToList());

    /// <summary>
    /// One sentence per task, from its "alone" row (or its combination row when it has none): whether it gained
    /// information over its prior, and how much. Tasks with no gain come first.
    /// </summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyList<PretextGainRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var perTask = rows.GroupBy(r => r.Task).Select(g => g.FirstOrDefault(r => r.Runs == Alone) ?? g.First()).ToList();
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        return perTask
            .OrderBy(r => r.InformationGain > NoGainThreshold)
            .Select(r => r.InformationGain > NoGainThreshold
                ? $"{r.Task}: learned — dev cross-entropy {F(r.DevCrossEntropy)} nats vs prior entropy {F(r.PriorEntropy)}, a gain of {F(r.InformationGain)} nats " +
                  $"({r.InformationGain / r.PriorEntropy:P0} of the prior's uncertainty removed), dev balanced accuracy {F(r.DevBalancedAccuracy)} ({r.Runs}, mean of {r.Seeds} seed(s))."
                : $"{r.Task}: NO GAIN over the label prior — dev cross-entropy {F(r.DevCrossEntropy)} nats vs prior entropy {F(r.PriorEntropy)} " +
                  $"(gain {F(r.InformationGain)} nats ≤ {F(NoGainThreshold)}), dev balanced accuracy {F(r.DevBalancedAccuracy)}: on new speakers the encoder's " +
                  $"probabilities for this task are no better than always predicting its training class frequencies ({r.Runs}, mean of {r.Seeds} seed(s))." +
                  (r.ClassWeighted
                      ? " It trained class-weighted, which pushes predictions towards the rare classes and raises the unweighted cross-entropy; the balanced accuracy says how much of that bought recall."
                      : ""))
            .ToList();
    }
}
