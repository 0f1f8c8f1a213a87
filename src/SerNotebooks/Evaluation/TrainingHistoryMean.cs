namespace SerNotebooks.Evaluation;

/// <summary>
/// The epoch-by-epoch mean of several runs' training histories (e.g. one configuration over its seeds), so a
/// chart shows one curve per configuration instead of one per run.
/// </summary>
public static class TrainingHistoryMean
{
    /// <summary>
    /// Epochs are the union of the runs' epochs; series are those every run has (in the first run's order). At
    /// each epoch a series is the mean over the runs that reached that epoch and have a value there (NaN = no
    /// value), so after early stopping the tail of a curve averages fewer runs; NaN when no run has one.
    /// </summary>
    public static TrainingHistory Of(IReadOnlyList<TrainingHistory> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("No training histories to average.", nameof(runs));
        }
        var epochs = runs.SelectMany(r => r.Epochs).Distinct().Order().ToArray();
        var names = runs[0].SeriesNames.Where(name => runs.All(r => r.Series.ContainsKey(name))).ToArray();
        var positions = runs.Select(r => r.Epochs.Select((epoch, index) => (epoch, index)).ToDictionary(p => p.epoch, p => p.index)).ToArray();
        var series = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            series[name] = epochs.Select(epoch =>
            {
                var values = runs
                    .Select((run, r) => positions[r].TryGetValue(epoch, out var index) ? run.Series[name][index] : double.NaN)
                    .Where(v => !double.IsNaN(v))
                    .ToArray();
                return values.Length == 0 ? double.NaN : values.Average();
            }).ToArray();
        }
        return new TrainingHistory(epochs, series);
    }
}
