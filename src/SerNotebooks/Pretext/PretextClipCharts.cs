namespace SerNotebooks.Pretext;

/// <summary>The per-clip charts of the tasks of a labelling, for <c>sernb labels</c> and the notebooks.</summary>
public static class PretextClipCharts
{
    /// <summary>
    /// For every task of <paramref name="result"/> (in its order) that implements <see cref="IPretextTaskClipChart"/>,
    /// its chart of <paramref name="clip"/> drawn with the labeller fitted in <paramref name="result"/>; tasks with
    /// nothing to draw for this clip are left out.
    /// </summary>
    public static IReadOnlyList<PretextClipChart> Of(PretextTaskRegistry registry, PretextLabellingResult result, PretextClip clip)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(clip);
        var charts = new List<PretextClipChart>();
        foreach (var name in result.TaskNames)
        {
            if (registry.Get(name) is IPretextTaskClipChart task && result.Labellers.TryGetValue(name, out var labeller)
                && task.ClipChart(clip, labeller) is { } chart)
            {
                charts.Add(chart);
            }
        }
        return charts;
    }

    /// <summary>The labeller a task's chart was given, as the task's own kind; throws when it is another task's.</summary>
    /// <exception cref="ArgumentException"><paramref name="labeller"/> is not a <typeparamref name="TLabeller"/>.</exception>
    public static TLabeller LabellerOf<TLabeller>(ITaskLabeller labeller, string task)
        where TLabeller : ITaskLabeller
    {
        ArgumentNullException.ThrowIfNull(labeller);
        return labeller is TLabeller own
            ? own
            : throw new ArgumentException($"{task}: its chart needs a {typeof(TLabeller).Name}, got the {labeller.TaskName} labeller {labeller.GetType().Name}", nameof(labeller));
    }
}
