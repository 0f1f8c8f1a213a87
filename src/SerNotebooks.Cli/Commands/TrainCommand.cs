using System.CommandLine;
using System.Globalization;
using SerNotebooks.Ablation.Execution;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb train --config &lt;run.json&gt; --out &lt;run dir&gt;</c>: one pre-training or fine-tuning run (the config's
/// <c>kind</c>). Re-running the same command resumes an interrupted run and skips a finished one.
/// </summary>
public static class TrainCommand
{
    public static Command Create() => Create(AnsiConsole.Console);

    /// <summary>The command writing to <paramref name="console"/> (tests capture the output).</summary>
    public static Command Create(IAnsiConsole console)
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "Run config (JSON; kind pretrain|finetune, manifests, tasks, model, optimiser, epochs, seed — see src/SerNotebooks/Training/TRAINING.md)",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Run folder (created): config copy, metrics, checkpoints, final metrics, predictions",
            Required = true,
        };
        var labels = new Option<DirectoryInfo?>("--labels")
        {
            Description = "Pre-training: folder of label files to read (as `sernb labels` or `sernb reproduce` write them) instead of the config's labelsDirectory; where labels come from is not part of the run's identity",
        };
        var command = new Command("train", "Pre-train the encoder on pretext tasks or fine-tune it on emotions, as the config says (resumable)");
        command.Options.Add(config);
        command.Options.Add(output);
        command.Options.Add(labels);
        command.SetAction(parseResult => Run(console, parseResult.GetValue(config)!, parseResult.GetValue(output)!, parseResult.GetValue(labels)));
        return command;
    }

    private static int Run(IAnsiConsole console, FileInfo configFile, DirectoryInfo output, DirectoryInfo? labelsDirectory)
    {
        TrainingConfig config;
        try
        {
            config = TrainingConfig.Load(configFile.FullName);
            TorchRuntime.EnsureLoadable();
            TorchDevices.Resolve(config.Device);
        }
        catch (Exception e) when (e is TrainingConfigException or TorchRuntimeException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        var labels = labelsDirectory is null ? null : new PretextLabelSetDirectory(labelsDirectory.FullName);

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            // The first Ctrl-C stops cleanly after the current step; the epoch checkpoint stays valid.
            args.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var lastEpoch = 0;
        try
        {
            TrainingResult? result = null;
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var loading = context.AddTask("features");
                    var training = context.AddTask($"{config.Kind.ToString().ToLowerInvariant()} (seed {config.Seed})", autoStart: false);
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        switch (p.Phase)
                        {
                            case TrainingPhase.Loading:
                                loading.MaxValue = p.StepsPerEpoch;
                                loading.Value = p.Step;
                                break;
                            case TrainingPhase.Resumed:
                                lastEpoch = p.Epoch;
                                console.MarkupLineInterpolated($"[yellow]{p.Message}[/]");
                                break;
                            case TrainingPhase.Step:
                                loading.StopTask();
                                training.StartTask();
                                training.MaxValue = (double)p.Epochs * p.StepsPerEpoch;
                                training.Value = (double)(p.Epoch - 1) * p.StepsPerEpoch + p.Step;
                                training.Description = string.Create(CultureInfo.InvariantCulture,
                                    $"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:0.0000}");
                                break;
                            case TrainingPhase.EpochEnd:
                                lastEpoch = p.Epoch;
                                var metrics = string.Join("  ", p.EpochMetrics!.Where(m => m.Key is not "epoch")
                                    .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.####}")));
                                console.MarkupLineInterpolated($"epoch {p.Epoch}: {metrics}");
                                if (p.Message is not null)
                                {
                                    console.MarkupLineInterpolated($"[yellow]{p.Message}[/]");
                                }
                                break;
                            case TrainingPhase.Finished:
                            case TrainingPhase.Skipped:
                                loading.StopTask();
                                training.Value = training.MaxValue;
                                training.StopTask();
                                break;
                        }
                    });
                    result = TrainingRun.Run(config, output.FullName, labels, progress, cancellation.Token);
                });
            if (result!.Skipped)
            {
                console.MarkupLineInterpolated($"already finished: {output.FullName} (delete final-metrics.json to re-run)");
            }
            var table = new Table().AddColumns("metric", "value");
            foreach (var (name, value) in result.Metrics)
            {
                table.AddRow(name, value.ToString("0.####", CultureInfo.InvariantCulture));
            }
            console.Write(table);
            console.MarkupLineInterpolated($"best epoch {result.BestEpoch} of {result.EpochsRun}{(result.StoppedEarly ? " (stopped early)" : "")} → {output.FullName}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            console.MarkupLineInterpolated(
                $"[yellow]interrupted[/] after epoch {lastEpoch}; re-run the same command to resume from that checkpoint");
            return 130;
        }
        catch (RunClaimedException e)
        {
            console.MarkupLineInterpolated($"[yellow]skipped:[/] {e.Message}; run the same command again once it has finished there");
            return WorkerProtocol.ClaimedExitCode;
        }
        catch (Exception e) when (e is TrainingRunException or TrainingConfigException or InvalidDataException or FileNotFoundException
            or SerNotebooks.Data.ManifestFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
