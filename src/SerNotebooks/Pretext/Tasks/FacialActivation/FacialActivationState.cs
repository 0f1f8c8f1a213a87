using System.Text.Json.Serialization;

namespace SerNotebooks.Pretext.Tasks.FacialActivation;

/// <summary>Fitted state of task 2: one median threshold per source (landmark and optical-flow activations are different scales).</summary>
public sealed record FacialActivationState(
    string Task,
    [property: JsonPropertyName("thresholds")] IReadOnlyDictionary<string, double> Thresholds,
    [property: JsonPropertyName("trainingChunks")] IReadOnlyDictionary<string, int> TrainingChunks,
    [property: JsonPropertyName("confidenceThreshold")] double ConfidenceThreshold,
    [property: JsonPropertyName("minFramesPerChunk")] int MinFramesPerChunk,
    [property: JsonPropertyName("acceptAnyFrameRate")] bool AcceptAnyFrameRate) : LabellerState(Task);
