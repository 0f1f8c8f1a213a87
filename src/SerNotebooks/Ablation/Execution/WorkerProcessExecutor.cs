using System.Diagnostics;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation.Execution;

/// <summary>How to start <c>sernb</c>: the program and the arguments before the command name.</summary>
/// <param name="FileName">The apphost (<c>sernb</c>) or the <c>dotnet</c> host.</param>
/// <param name="LeadingArguments">For the <c>dotnet</c> host: <c>exec &lt;path&gt;/sernb.dll</c>.</param>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>
    /// <c>sernb</c> as this process can start it again: its own apphost when it is one, else <c>dotnet exec
    /// <paramref name="cliAssemblyPath"/></c> with the host this process runs on (tests run the CLI's code inside the
    /// test host, which is why the CLI's assembly is named rather than taken from the process).
    /// </summary>
    public static WorkerCommand ForCli(string cliAssemblyPath)
    {
        var processPath = Environment.ProcessPath;
        var apphost = Path.ChangeExtension(cliAssemblyPath, null);
        if (processPath is not null && string.Equals(Path.GetFullPath(processPath), Path.GetFullPath(apphost), StringComparison.Ordinal))
        {
            return new WorkerCommand(processPath, []);
        }
        var host = processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? processPath
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return new WorkerCommand(host, ["exec", cliAssemblyPath]);
    }
}

/// <summary>
/// Up to <see cref="Slots"/> runs at once, in as many <c>sernb worker</c> processes, each training one run after
/// another: libtorch's random generator and thread pool are process-wide, so runs that share a process cannot train at
/// once and keep "same seed, same numbers"; in separate processes they do (<see cref="WorkerProtocol"/>). Workers start
/// on first need and stop when the executor is disposed.
/// </summary>
public sealed class WorkerProcessExecutor(WorkerCommand command, int slots) : IRunExecutor
{
    private readonly Lock _gate = new();
    private readonly Stack<WorkerProcess> _idle = new();
    private readonly List<WorkerProcess> _all = [];
    private bool _disposed;

    public int Slots { get; } = slots >= 1 ? slots : throw new ArgumentOutOfRangeException(nameof(slots), "at least one worker");

    public async Task<TrainingResult> Start(AblationJob job, string root, string? labelsDirectory, Action<TrainingProgress> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var configFile = job.WriteConfigFile(root);
        var worker = Take();
        var healthy = false;
        try
        {
            var labels = job.Stage == AblationStage.Pretraining ? labelsDirectory : null;
            var (result, stillRunning) = await worker.Train(new WorkerJob(configFile, job.Directory, labels), job, report, cancellationToken);
            healthy = stillRunning;
            return result;
        }
        finally
        {
            Give(worker, healthy);
        }
    }

    private WorkerProcess Take()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
            var started = WorkerProcess.Start(command);
            _all.Add(started);
            return started;
        }
    }

    private void Give(WorkerProcess worker, bool healthy)
    {
        lock (_gate)
        {
            if (healthy && !_disposed)
            {
                _idle.Push(worker);
                return;
            }
            _all.Remove(worker);
        }
        worker.Dispose();
    }

    /// <summary>Closes every worker's stdin (its stop signal) and waits for them to exit.</summary>
    public void Dispose()
    {
        List<WorkerProcess> workers;
        lock (_gate)
        {
            _disposed = true;
            workers = [.. _all];
            _all.Clear();
            _idle.Clear();
        }
        foreach (var worker in workers)
        {
            worker.Dispose();
        }
    }
}

/// <summary>One <c>sernb worker</c> process: sends it runs, reads its messages.</summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>Lines of a worker's own output kept for the error message of a failed run.</summary>
    private const int LogTail = 20;

    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly Task _stderr;

    private WorkerProcess(Process process)
    {
        _process = process;
        _stderr = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                Keep(line);
            }
        });
    }

    public static WorkerProcess Start(WorkerCommand command)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.LeadingArguments.Append("worker"))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command.FileName}: the worker did not start");
        return new WorkerProcess(process);
    }

    /// <summary>Trains one run; also says whether the worker can take another.</summary>
    public async Task<(TrainingResult Result, bool StillRunning)> Train(WorkerJob request, AblationJob job, Action<TrainingProgress> report, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(WorkerProtocol.Format(request).AsMemory(), CancellationToken.None);
        await _process.StandardInput.FlushAsync(CancellationToken.None);
        // Closing stdin is the stop signal; the worker finishes its step and says "cancelled".
        using var stop = cancellationToken.Register(CloseInput);
        while (await _process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
        {
            switch (WorkerProtocol.Parse(line))
            {
                case null:
                    Keep(line);
                    break;
                case { Kind: WorkerMessageKind.Ready }:
                    break;
                case { Kind: WorkerMessageKind.Progress, Progress: { } progress }:
                    report(progress);
                    break;
                case { Kind: WorkerMessageKind.Result, Result: { } result } message:
                    return (result with { Skipped = message.Skipped }, true);
                case { Kind: WorkerMessageKind.Claimed } message:
                    return (Throw(new RunClaimedException(job.Directory, message.Holder)), true);
                case { Kind: WorkerMessageKind.Cancelled }:
                    return (Throw(new OperationCanceledException(cancellationToken)), false);
                case { Kind: WorkerMessageKind.Error } message:
                    throw new TrainingRunException($"{job.Name}: {message.Error}");
            }
        }
        await _process.WaitForExitAsync(CancellationToken.None);
        await _stderr;
        cancellationToken.ThrowIfCancellationRequested();
        throw new TrainingRunException(
            $"{job.Name}: the worker process ended with exit code {_process.ExitCode} during the run ({request.Config})" + (Tail() is { Length: > 0 } tail ? $"\n{tail}" : ""));
    }

    private static TrainingResult Throw(Exception exception) => throw exception;

    private void Keep(string line)
    {
        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogTail)
            {
                _log.Dequeue();
            }
        }
    }

    private string Tail()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }

    private void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The worker has exited already.
        }
    }

    public void Dispose()
    {
        CloseInput();
        if (!_process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            // A worker that does not stop within a step or two is stuck; its run resumes from its last epoch next time.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
