using System.Text.Json;

namespace SerNotebooks.Pretext;

/// <summary>
/// When the pre-training objective re-assigns a <see cref="LabelKind.PseudoClasses"/> task's classes: at the start of
/// epoch 1 and of every <see cref="ReclusterEvery"/>-th epoch after it (1, 1 + N, 1 + 2N, …). A pseudo-class task's
/// labeller state carries it as <c>reclusterEvery</c> (absent = every epoch), so the run's label files hold everything
/// the objective needs and the training config has no task-specific fields.
/// </summary>
public sealed record PseudoClassSchedule(int ReclusterEvery)
{
    public bool IsReclusterEpoch(int epoch) => epoch >= 1 && (epoch - 1) % ReclusterEvery == 0;

    /// <summary>The schedule in a labeller state's JSON.</summary>
    /// <exception cref="FormatException">Not a JSON object, or <c>reclusterEvery</c> is not a positive integer.</exception>
    public static PseudoClassSchedule FromStateJson(string stateJson)
    {
        ArgumentNullException.ThrowIfNull(stateJson);
        try
        {
            using var document = JsonDocument.Parse(stateJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a pseudo-class task's labeller state must be a JSON object");
            }
            if (!document.RootElement.TryGetProperty("reclusterEvery", out var every))
            {
                return new PseudoClassSchedule(1);
            }
            return every.TryGetInt32(out var n) && n >= 1
                ? new PseudoClassSchedule(n)
                : throw new FormatException($"reclusterEvery must be a positive integer, got {every}");
        }
        catch (JsonException e)
        {
            throw new FormatException($"a pseudo-class task's labeller state is not JSON: {e.Message}", e);
        }
    }
}
