using System.Collections.Concurrent;
using System.CommandLine;
using SerNotebooks.Ablation.Execution;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb worker</c> (hidden): one of the worker processes of <c>sernb reproduce --jobs N</c>. Trains the runs it
/// is sent on stdin one after another and speaks <see cref="WorkerProtocol"/> on stdout; stops when stdin ends.
/// </summary>
internal static class WorkerLoop
{
    /// <summary>Step reports are sent at most this often (epoch ends, skips and results always).</summary>
    private static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var command = new Command("worker", "A worker process of `sernb reproduce --jobs N` (runs arrive on stdin)") { Hidden = true };
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        var stdout = Console.Out;
        var gate = new Lock();
        void Send(WorkerMessage message)
        {
            lock (gate)
            {
                stdout.WriteLine(WorkerProtocol.Format(message));
                stdout.Flush();
            }
        }
        using var inputEnded = new CancellationTokenSource();
        using var requests = new BlockingCollection<string>();
        var reader = new Thread(() =>
        {
            try
            {
                while (Console.In.ReadLine() is { } line)
                {
                    requests.Add(line);
                }
            }
            catch (IOException)
            {
                // A broken pipe is an end too.
            }
            requests.CompleteAdding();
            inputEnded.Cancel();
        })
        { IsBackground = true, Name = "worker stdin" };
        reader.Start();
        // Ctrl-C in a terminal reaches the whole process group: the parent closes stdin, and this stops the run itself.
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            args.Cancel = true;
            inputEnded.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            TorchRuntime.EnsureLoadable();
            Send(new WorkerMessage(WorkerMessageKind.Ready));
            foreach (var line in requests.GetConsumingEnumerable())
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                if (!TrainOne(WorkerProtocol.ParseJob(line), Send, inputEnded.Token))
                {
                    break;
                }
            }
            return 0;
        }
        catch (Exception e) when (e is TorchRuntimeException or InvalidDataException)
        {
            Send(new WorkerMessage(WorkerMessageKind.Error, Error: e.Message));
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Trains one run and sends its final message; false when the worker must stop (cancelled).</summary>
    private static bool TrainOne(WorkerJob job, Action<WorkerMessage> send, CancellationToken cancellationToken)
    {
        try
        {
            var config = TrainingConfig.Load(job.Config);
            var labels = job.Labels is null ? null : new PretextLabelSetDirectory(job.Labels);
            var lastStep = DateTime.MinValue;
            var progress = new WorkerProgress(p =>
            {
                if (p.Phase is TrainingPhase.Step or TrainingPhase.Loading)
                {
                    var now = DateTime.UtcNow;
                    if (now - lastStep < StepInterval)
                    {
                        return;
                    }
                    lastStep = now;
                }
                send(new WorkerMessage(WorkerMessageKind.Progress, Progress: p));
            });
            var result = TrainingRun.Run(config, job.Out, labels, progress, cancellationToken);
            send(new WorkerMessage(WorkerMessageKind.Result, Result: result, Skipped: result.Skipped));
            return true;
        }
        catch (OperationCanceledException)
        {
            send(new WorkerMessage(WorkerMessageKind.Cancelled));
            return false;
        }
        catch (RunClaimedException e)
        {
            send(new WorkerMessage(WorkerMessageKind.Claimed, Holder: e.Holder, Error: e.Message));
            return true;
        }
        catch (Exception e)
        {
            send(new WorkerMessage(WorkerMessageKind.Error, Error: $"{job.Config}: {e.GetType().Name}: {e.Message}"));
            return true;
        }
    }

    private sealed class WorkerProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
