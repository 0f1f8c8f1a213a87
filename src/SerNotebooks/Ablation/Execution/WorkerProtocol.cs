using System.Text.Json;
using System.Text.Json.Serialization;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation.Execution;

/// <summary>What a worker says on its standard output, one line each.</summary>
public enum WorkerMessageKind
{
    /// <summary>The worker has started and waits for its first run.</summary>
    Ready,
    Progress,
    Result,
    Claimed,
    Cancelled,
    Error,
}

/// <summary>One run for a worker, a line of its stdin.</summary>
/// <param name="Config">The run's config file (<see cref="AblationJob.WriteConfigFile"/>).</param>
/// <param name="Out">The run folder.</param>
/// <param name="Labels">Pre-training: the labels folder.</param>
public sealed record WorkerJob(string Config, string Out, string? Labels);

/// <summary>One message of a worker (<c>sernb train --worker</c>) to the command that started it.</summary>
/// <param name="Kind">What the message is.</param>
/// <param name="Progress">A progress report of the run.</param>
/// <param name="Result">The run's final-metrics.json.</param>
/// <param name="Holder">Who holds the claim on the run.</param>
/// <param name="Error">Why the run failed.</param>
/// <param name="Skipped">With a result: the run had finished already (<see cref="TrainingResult.Skipped"/> is not serialised).</param>
public sealed record WorkerMessage(
    WorkerMessageKind Kind,
    TrainingProgress? Progress = null,
    TrainingResult? Result = null,
    RunClaimHolder? Holder = null,
    string? Error = null,
    bool Skipped = false);

/// <summary>
/// The protocol between <c>sernb reproduce --jobs N</c> and its N workers (<c>sernb worker</c>), each a process
/// that trains one run after another (starting a process per run would cost a .NET and libtorch start each):
/// <list type="bullet">
/// <item>stdin: one <see cref="WorkerJob"/> per line, sent when the worker is idle. When stdin ends (the parent closed
/// it on Ctrl-C, or died), the worker stops its run after the current step and exits, so no worker outlives its command.</item>
/// <item>stdout: one <see cref="WorkerMessage"/> per line, as JSON after <see cref="Prefix"/>: <c>ready</c> once, then per
/// run progress reports and one final <c>result</c>, <c>claimed</c>, <c>cancelled</c> or <c>error</c>. Other lines (libraries'
/// own output) are kept as log text for error messages.</item>
/// </list>
/// Runs in one worker follow each other as they do in a sequential <c>reproduce</c> (every run seeds libtorch
/// itself), so the numbers are those of <c>--jobs 1</c>.
/// </summary>
public static class WorkerProtocol
{
    public const string Prefix = "@sernb-worker ";

    /// <summary>Exit code of <c>sernb train</c> for a run another process has claimed (EX_TEMPFAIL: try again later).</summary>
    public const int ClaimedExitCode = 75;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Format(WorkerMessage message) => Prefix + JsonSerializer.Serialize(message, Options);

    public static string Format(WorkerJob job) => JsonSerializer.Serialize(job, Options);

    public static WorkerJob ParseJob(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerJob>(line, Options) ?? throw new InvalidDataException($"worker job is null: {line}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"worker job unreadable ({e.Message}): {line}", e);
        }
    }

    /// <summary>The message on <paramref name="line"/>, or null when the line is not one.</summary>
    public static WorkerMessage? Parse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<WorkerMessage>(line.AsSpan(Prefix.Length), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"worker message unreadable ({e.Message}): {line}", e);
        }
    }
}
