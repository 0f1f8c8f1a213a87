namespace SerNotebooks.Pretext;

/// <summary>
/// A labeller that normalises per speaker and may need statistics of speakers it was not fitted on (for
/// example test speakers). <see cref="PretextLabelling"/> calls <see cref="AdaptTo"/> with every clip's
/// measurement after fitting; the statistics it adds are computed from those speakers' own measurements
/// (no emotion labels), and the fitted threshold and the fit speakers' statistics stay as they were.
/// </summary>
public interface ISpeakerAdaptiveLabeller : ITaskLabeller
{
    ITaskLabeller AdaptTo(IReadOnlyList<TaskMeasurement> measurements);
}
