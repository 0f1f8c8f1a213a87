using SerNotebooks.Faces;
using SerNotebooks.Pretext.Tasks.FacialActivation;

namespace SerNotebooks.Pretext.Tasks.FacialActivationRegression;

/// <summary>
/// Speech-driven facial activity (beyond the paper; docs/PAPER "Speech-driven facial activity"): task 2 as regression.
/// Each chunk's facial activation is measured exactly as <see cref="FacialActivationTask"/> measures it (the same code),
/// but instead of high/low against the training median the target is the activation itself, standardised per face
/// source with the training clips' mean and standard deviation (<see cref="FacialActivationRegressionLabeller"/>).
/// Pre-training gives it a one-output head per chunk and a masked mean squared error (<see cref="LabelKind.Regression"/>).
/// Opt-in: used only when named (<c>--tasks energy-variation,facial-activation-regression</c>).
/// </summary>
public sealed class FacialActivationRegressionTask(FacialActivationOptions? options = null) : IOptInTask
{
    public const string TaskName = "facial-activation-regression";

    private readonly FacialActivationTask measurement = new(options);

    public FacialActivationOptions Options => measurement.Options;

    public string Name => TaskName;

    public string Description =>
        "Facial activation per chunk as a standardised real value (regression of the activation curve), measured as in facial-activation.";

    public LabelGranularity Granularity => LabelGranularity.Chunk;

    public LabelKind Kind => LabelKind.Regression;

    /// <summary>The one output: the chunk's standardised activation.</summary>
    public IReadOnlyList<string> Classes { get; } = ["activation"];

    public TaskMeasurement Measure(PretextClip clip) => measurement.Measure(clip);

    /// <summary>The clip's per-frame activation curve, for predicted-versus-true charts.</summary>
    public FacialActivationAnalysis Analyse(PretextClip clip) => measurement.Analyse(clip);

    public ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return FacialActivationRegressionLabeller.Fit(training, Options);
    }
}
