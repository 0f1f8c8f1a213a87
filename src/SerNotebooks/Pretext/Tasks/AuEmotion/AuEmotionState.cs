using System.Text.Json.Serialization;

namespace SerNotebooks.Pretext.Tasks.AuEmotion;

/// <summary>Task 3's labeller state: which rules (hash) and options produced the labels.</summary>
public sealed record AuEmotionState(
    string Task,
    [property: JsonPropertyName("rulesSource")] string RulesSource,
    [property: JsonPropertyName("rulesSha256")] string RulesSha256,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("presenceMode")] string PresenceMode,
    [property: JsonPropertyName("intensityThreshold")] double IntensityThreshold,
    [property: JsonPropertyName("minimumShare")] double MinimumShare,
    [property: JsonPropertyName("preferSpecificPrototype")] bool PreferSpecificPrototype,
    [property: JsonPropertyName("confidenceThreshold")] double ConfidenceThreshold,
    [property: JsonPropertyName("trainingClips")] int TrainingClips) : LabellerState(Task);
