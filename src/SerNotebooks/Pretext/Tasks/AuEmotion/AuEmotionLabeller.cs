namespace SerNotebooks.Pretext.Tasks.AuEmotion;

/// <summary>Task 3 fitted: the measured class index is the label (the rules have no trained parameter).</summary>
public sealed class AuEmotionLabeller : ITaskLabeller
{
    public AuEmotionLabeller(AuEmotionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
        StateJson = LabellerStateJson.Write(state);
    }

    public AuEmotionState State { get; }

    public string TaskName => AuEmotionTask.TaskName;

    public string StateJson { get; }

    public static AuEmotionLabeller FromStateJson(string json) =>
        new(LabellerStateJson.Read<AuEmotionState>(json, AuEmotionTask.TaskName));

    public ClipTaskLabels Label(TaskMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!measurement.IsUsable || measurement.UtteranceClass is not { } index)
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                measurement.SkipReason ?? "no utterance class");
        }
        if (index < 0 || index >= State.Classes.Count)
        {
            return new ClipTaskLabels(measurement.ClipId, null, ClipTaskLabels.MissingLabel, measurement.Source,
                $"class index {index} is outside the {State.Classes.Count} classes of rules {State.RulesSha256[..12]}");
        }
        return new ClipTaskLabels(measurement.ClipId, null, index, measurement.Source, null);
    }
}
