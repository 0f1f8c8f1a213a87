namespace SerNotebooks.Pretext;

/// <summary>
/// A pretext task: a label that comes for free from a clip's audio or face. Tasks are registered in
/// <see cref="PretextTaskRegistry"/>; adding a task is one new class plus one registration line.
/// Labelling is two-phase so that thresholds are fitted on the training split only:
/// <see cref="Measure"/> every clip, <see cref="Fit"/> on the training clips' measurements, then label any
/// clip with the fitted <see cref="ITaskLabeller"/> (whose state is saved with the run).
/// </summary>
public interface IPretextTask
{
    /// <summary>Stable identifier used in configs, file names and results (kebab-case).</summary>
    string Name { get; }

    /// <summary>One sentence for reports and notebooks.</summary>
    string Description { get; }

    LabelGranularity Granularity { get; }

    /// <summary>Classification (the default, and the paper's three tasks), regression or pseudo-classes (<see cref="LabelKind"/>).</summary>
    LabelKind Kind => LabelKind.Classification;

    /// <summary>The class names; a regression task names its one output (its head has one output per chunk).</summary>
    IReadOnlyList<string> Classes { get; }

    TaskMeasurement Measure(PretextClip clip);

    ITaskLabeller Fit(IReadOnlyList<TaskMeasurement> training);
}

/// <summary>A task fitted to training data: turns measurements into labels.</summary>
public interface ITaskLabeller
{
    string TaskName { get; }

    /// <summary>Fitted parameters (thresholds, per-speaker statistics) as JSON, saved beside the run.</summary>
    string StateJson { get; }

    ClipTaskLabels Label(TaskMeasurement measurement);
}
