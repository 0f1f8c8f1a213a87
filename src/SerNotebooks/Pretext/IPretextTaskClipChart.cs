using Plotly.NET;

namespace SerNotebooks.Pretext;

/// <summary>
/// Optional for an <see cref="IPretextTask"/>: draws what the task measured in one clip and the labels its fitted
/// labeller gave. <c>sernb labels</c> and the notebooks draw it for every task of their plan that implements it
/// (<see cref="PretextClipCharts"/>), a user's task included.
/// </summary>
public interface IPretextTaskClipChart
{
    /// <summary>
    /// One clip's chart, or null when this clip has nothing to draw for the task (no usable data, or no fitted
    /// threshold for its source). <paramref name="labeller"/> is the one the task's <see cref="IPretextTask.Fit"/> returned.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="labeller"/> is not this task's kind of labeller.</exception>
    PretextClipChart? ClipChart(PretextClip clip, ITaskLabeller labeller);
}

/// <summary>A task's chart of one clip.</summary>
/// <param name="Name">Kebab-case stem of the chart's file name: <c>sernb labels</c> writes <c>&lt;Name&gt;-&lt;clip&gt;.html</c>.</param>
/// <param name="Title">The page's title.</param>
/// <param name="Chart">The chart.</param>
public sealed record PretextClipChart(string Name, string Title, GenericChart Chart);
