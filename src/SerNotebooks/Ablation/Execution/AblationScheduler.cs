using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SerNotebooks.Training;

namespace SerNotebooks.Ablation.Execution;

/// <summary>
/// Trains an ablation's jobs with an <see cref="IRunExecutor"/>: a fine-tuning starts once its pre-training has
/// finished, runs start in plan order as slots free up, finished runs are skipped without starting anything, and a
/// run another process has claimed is put back and tried again later (meanwhile the other runs go on). Progress is
/// reported on the calling thread. On a failure or cancellation no new run starts, the running ones stop after their
/// current step, and then the failure (or <see cref="OperationCanceledException"/>) is thrown. The numbers do not
/// depend on the order runs finish in: each run's folder holds everything it computes.
/// </summary>
public static class AblationScheduler
{
    /// <summary>How long a claimed run waits before it is tried again.</summary>
    public static readonly TimeSpan ClaimRetryInterval = TimeSpan.FromSeconds(3);

    /// <summary>Trains <paramref name="jobs"/>; returns how many were trained now (the others had finished).</summary>
    /// <param name="jobs">In plan order; a job's <see cref="AblationJob.After"/> must come before it.</param>
    /// <param name="executor">Where runs train.</param>
    /// <param name="root">The ablation's output folder.</param>
    /// <param name="labelsDirectory">Makes (once, on first need) the labels of the pre-training runs.</param>
    /// <param name="progress">Reports, on the calling thread.</param>
    /// <param name="cancellationToken">Stops everything cleanly.</param>
    public static int Execute(
        IReadOnlyList<AblationJob> jobs,
        IRunExecutor executor,
        string root,
        Func<string> labelsDirectory,
        IProgress<AblationProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(executor);
        var state = new State(jobs, executor, root, labelsDirectory, progress, cancellationToken);
        return state.Run();
    }

    private sealed class State(
        IReadOnlyList<AblationJob> jobs,
        IRunExecutor executor,
        string root,
        Func<string> labelsDirectory,
        IProgress<AblationProgress>? progress,
        CancellationToken cancellationToken)
    {
        private readonly int _callingThread = Environment.CurrentManagedThreadId;
        private readonly BlockingCollection<Action> _events = [];
        private readonly List<AblationJob> _pending = [.. jobs];
        private readonly HashSet<AblationJob> _finished = [];
        private readonly Dictionary<AblationJob, DateTime> _retryAt = [];
        private readonly HashSet<AblationJob> _waitingReported = [];
        private readonly Dictionary<Task<TrainingResult>, (AblationJob Job, int Worker)> _running = [];
        private readonly SortedSet<int> _freeWorkers = [.. Enumerable.Range(1, executor.Slots)];
        private readonly Dictionary<AblationJob, int> _order = jobs.Select((j, i) => (j, i)).ToDictionary(p => p.j, p => p.i);
        private string? _labels;
        private int _started;
        private int _done;
        private int _trained;
        private ExceptionDispatchInfo? _failure;

        private int Total => jobs.Count;

        public int Run()
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (_pending.Count > 0 || _running.Count > 0)
            {
                StartReadyJobs(stop);
                if (_running.Count == 0)
                {
                    if (_pending.Count == 0 || _failure is not null || stop.IsCancellationRequested)
                    {
                        break;
                    }
                    // Everything left waits for a run another process trains.
                    var next = _pending.Where(_retryAt.ContainsKey).Select(j => _retryAt[j]).DefaultIfEmpty(DateTime.UtcNow).Min();
                    var wait = next - DateTime.UtcNow;
                    stop.Token.WaitHandle.WaitOne(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(50));
                    continue;
                }
                WaitForCompletion();
                foreach (var task in _running.Keys.Where(t => t.IsCompleted).ToList())
                {
                    Complete(task, stop);
                }
            }
            DrainEvents();
            _failure?.Throw();
            if (_pending.Count > 0)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            return _trained;
        }

        private void StartReadyJobs(CancellationTokenSource stop)
        {
            while (_failure is null && !stop.IsCancellationRequested && _running.Count < executor.Slots)
            {
                var now = DateTime.UtcNow;
                var job = _pending.FirstOrDefault(j => (j.After is null || _finished.Contains(j.After))
                    && (!_retryAt.TryGetValue(j, out var at) || at <= now));
                if (job is null)
                {
                    return;
                }
                _pending.Remove(job);
                _retryAt.Remove(job);
                if (TrainingRun.FinishedResult(job.Config, job.Directory) is { } finished)
                {
                    // No process is started for a run that has nothing left to do.
                    Report(new AblationProgress(job.Stage, job.Name, _started++, Total));
                    Report(new AblationProgress(job.Stage, job.Name, _done, Total, SkippedReport(job, finished)));
                    _finished.Add(job);
                    _done++;
                    continue;
                }
                var worker = _freeWorkers.Min;
                _freeWorkers.Remove(worker);
                var workerNumber = executor.Slots > 1 ? worker : (int?)null;
                Report(new AblationProgress(job.Stage, job.Name, _started++, Total, Worker: workerNumber));
                string? labels = null;
                try
                {
                    labels = job.Stage == AblationStage.Pretraining ? _labels ??= labelsDirectory() : null;
                }
                catch (Exception e)
                {
                    _freeWorkers.Add(worker);
                    _failure = ExceptionDispatchInfo.Capture(e);
                    stop.Cancel();
                    return;
                }
                var task = executor.Start(job, root, labels,
                    p => Post(() => Report(new AblationProgress(job.Stage, job.Name, _done, Total, p, Worker: workerNumber))), stop.Token);
                _running[task] = (job, worker);
                _ = task.ContinueWith(_ => _events.Add(() => { }), TaskScheduler.Default);
            }
        }

        private void WaitForCompletion()
        {
            while (!_running.Keys.Any(t => t.IsCompleted))
            {
                _events.Take()();
            }
            DrainEvents();
        }

        private void DrainEvents()
        {
            while (_events.TryTake(out var action))
            {
                action();
            }
        }

        private void Complete(Task<TrainingResult> task, CancellationTokenSource stop)
        {
            var (job, worker) = _running[task];
            _running.Remove(task);
            _freeWorkers.Add(worker);
            if (task.IsCompletedSuccessfully)
            {
                _finished.Add(job);
                _done++;
                _trained += task.Result.Skipped ? 0 : 1;
                return;
            }
            var error = task.Exception?.InnerException ?? new OperationCanceledException();
            switch (error)
            {
                case RunClaimedException claimed:
                    if (_waitingReported.Add(job))
                    {
                        Report(new AblationProgress(job.Stage, job.Name, _done, Total,
                            Message: $"claimed by {claimed.Holder?.Describe() ?? "another process"}; the other runs go on and this one is looked at again until it has finished there"));
                    }
                    _retryAt[job] = DateTime.UtcNow + ClaimRetryInterval;
                    var index = _pending.FindIndex(j => _order[j] > _order[job]);
                    _pending.Insert(index < 0 ? _pending.Count : index, job);
                    break;
                case OperationCanceledException:
                    stop.Cancel();
                    break;
                default:
                    _failure ??= ExceptionDispatchInfo.Capture(error);
                    stop.Cancel();
                    break;
            }
        }

        private static TrainingProgress SkippedReport(AblationJob job, TrainingResult finished) =>
            new(job.Config.Kind, TrainingPhase.Skipped, finished.EpochsRun, job.Config.Epochs, 0, 0, 0,
                new Dictionary<string, double>(), TimeSpan.Zero, TimeSpan.Zero, finished.Metrics, "already finished");

        private void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _callingThread)
            {
                action();
            }
            else
            {
                _events.Add(action);
            }
        }

        private void Report(AblationProgress value) => progress?.Report(value);
    }
}
