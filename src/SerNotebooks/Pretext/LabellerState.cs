using System.Text.Json;
using System.Text.Json.Serialization;

namespace SerNotebooks.Pretext;

/// <summary>
/// What every task's fitted labeller saves (<see cref="ITaskLabeller.StateJson"/>): a record of the fitted
/// parameters whose first field, <c>task</c>, names the task, so a state file read back says whose it is.
/// Write and read it with <see cref="LabellerStateJson"/>, so every task's state has the same JSON style.
/// </summary>
/// <param name="Task">The task's <see cref="IPretextTask.Name"/>.</param>
public abstract record LabellerState([property: JsonPropertyName("task"), JsonPropertyOrder(-1)] string Task);

/// <summary>The one JSON style of <see cref="LabellerState"/>s: camelCase, indented, NaN and infinities allowed.</summary>
public static class LabellerStateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write<TState>(TState state)
        where TState : LabellerState
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.Serialize(state, Options);
    }

    /// <summary>The state in <paramref name="json"/>, which must be <paramref name="taskName"/>'s.</summary>
    /// <exception cref="FormatException">Not JSON of <typeparamref name="TState"/>, or another task's state.</exception>
    public static TState Read<TState>(string json, string taskName)
        where TState : LabellerState
    {
        TState? state;
        try
        {
            state = JsonSerializer.Deserialize<TState>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a {taskName} labeller state: {e.Message}", e);
        }
        return state is not null && state.Task == taskName
            ? state
            : throw new FormatException($"not a {taskName} labeller state (task is '{state?.Task}')");
    }
}
