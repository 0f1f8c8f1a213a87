using System.CommandLine;
using System.Globalization;
using SerNotebooks.Ablation;
using SerNotebooks.Ablation.Execution;
using SerNotebooks.Cli.Notebooks;
using SerNotebooks.Evaluation;
using SerNotebooks.Native;
using SerNotebooks.Pretext;
using SerNotebooks.Training;
using Spectre.Console;

namespace SerNotebooks.Cli.Commands;

/// <summary>
/// <c>sernb reproduce [--corpus demo|&lt;manifest dir&gt;] [--profile tiny|demo|paper | --experiment FILE] [--seeds N] [--folds K]
/// [--protocol test-split|folds|sessions] [--label-fractions F,…] [--tasks a,b,c] [--task-assembly DLL] [--probe] [--beyond] [--out DIR] [--notebooks DIR | --no-notebooks]</c>: the whole ablation in one command, then the notebook suite over the same
/// output folder (its HTML report in &lt;out&gt;/report). Re-running it skips every finished run.
/// </summary>
public static class ReproduceCommand
{
    /// <summary>Subfolder of the output folder holding the executed notebooks and the HTML report (index.html).</summary>
    public const string ReportFolder = "report";

    public static Command Create()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // A redirected run is read as a log: keep the results table and paths unwrapped, as `notebooks run` does.
            console.Profile.Width = 240;
        }
        return Create(console);
    }

    /// <summary>The command writing to <paramref name="console"/> (tests capture the output).</summary>
    public static Command Create(IAnsiConsole console)
    {
        var corpus = new Option<string>("--corpus")
        {
            Description = "'demo' (generated under --out if missing) or a folder with pretraining/ and crema-d/ manifests (or manifests/pretraining, manifests/crema-d)",
            DefaultValueFactory = _ => Reproduction.DemoCorpus,
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "A built-in experiment (experiments/*.json): tiny (seconds), demo (README's main command, the default; 15–21 min on 2 cores since generator v3, pre-training to its plateau and the two controls: ABLATION.md) or paper (the paper's model and epochs)",
        };
        var experiment = new Option<FileInfo?>("--experiment")
        {
            Description = "An experiment file (JSON like experiments/demo.json: model, chunking, epochs, seeds); a copied and edited file is a new experiment",
        };
        var seeds = new Option<int?>("--seeds")
        {
            Description = "Seeds per configuration (1..N); default: the experiment's seeds",
        };
        var folds = new Option<int>("--folds")
        {
            Description = "k-fold cross-validation by actor (k ≥ 3: fold f tested, fold f+1 dev, the rest train; every speaker tested once); default: the manifest's test split",
            DefaultValueFactory = _ => 0,
        };
        var protocol = new Option<string?>("--protocol")
        {
            Description = "test-split (the manifest's split column), folds (k-fold by actor; needs --folds K) or sessions (CREMA-D's 5 sessions from a manifest prepared with --split-protocol sessions-5: session i tested, i+1 dev, the rest train); default: folds when --folds is given, else test-split",
        };
        var labelFractions = new Option<string?>("--label-fractions")
        {
            Description = "Fine-tune on these fractions of the training clips, e.g. 0.1,0.25,0.5,1 (emotion-stratified, nested, the same clips for every configuration at a seed and fold); default: 1",
        };
        var controls = new Option<string?>("--controls")
        {
            Description = "Control configurations beside the paper's, e.g. oracle-emotion,shuffled-energy-variation (oracle-emotion needs the demo corpus's hidden emotion), or none; default: the experiment's",
        };
        var tasks = new Option<string?>("--tasks")
        {
            Description = "The pretext tasks of the ablation, e.g. energy-variation,au-emotion (every combination of them is pre-trained); default: every registered task",
        };
        var taskAssemblies = new Option<string[]>("--task-assembly")
        {
            Description = "An assembly (.dll) with tasks of your own: its public IPretextTaskPlugin classes register them (src/SerNotebooks/Pretext/TASKS.md); repeat for several",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var beyond = new Option<bool>("--beyond")
        {
            Description = "After the ablation, notebook 07's whole study: the baseline, the best task combination and every opt-in task (the clustering task, the facial-activation regression: each pre-trained alone) fine-tuned towards the intended labels, the voice raters' soft votes and the penalty matrix (same seeds; tables and charts in <out>/beyond, scored against intended and perceived labels). An experiment with \"targets\" (experiments/demo.json) runs the study without this option, with its \"targetCombinations\" (demo: the baseline and the best combination only, to stay within 10 minutes)",
        };
        var probe = new Option<bool>("--probe")
        {
            Description = "Also train a linear probe of every configuration (encoder frozen, only the head trained; the baseline's probe is a frozen random encoder)",
        };
        var output = new Option<DirectoryInfo?>("--out", "-o")
        {
            Description = "Output folder: corpus, features, pretrain/, finetune/, results.csv, summary.csv, experiment.json, charts/, report/ (default: <reports>/reproduce-<experiment name>)",
        };
        var notebooks = new Option<DirectoryInfo?>("--notebooks")
        {
            Description = "Notebooks folder run after the ablation over the same output folder (default: <repository>/notebooks)",
        };
        var noNotebooks = new Option<bool>("--no-notebooks")
        {
            Description = "Stop after the ablation tables and charts: do not run the notebooks",
        };
        var jobs = new Option<int?>("--jobs", "-j")
        {
            Description = "Runs trained at once, each in its own worker process (default: cores ÷ the experiment's threads per run; 1 trains in this process). Results are byte-identical for every N",
        };
        var executor = new Option<string>("--executor")
        {
            Description = "Where runs train: local (this machine, --jobs at once) or slurm (submit every unfinished run as Slurm job arrays under <out>/slurm, then exit; run the same command with --collect once they have finished: docs/CLUSTER.md)",
            DefaultValueFactory = _ => LocalExecutor,
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "With --executor slurm: write the configs, batch scripts and <out>/slurm/submit.sh and print the sbatch commands, but submit nothing",
        };
        var sbatchArgs = new Option<string?>("--sbatch-args")
        {
            Description = "With --executor slurm: extra sbatch options for every job, split as a shell would, e.g. --sbatch-args=\"--partition=cpu --time=04:00:00 --mem=8G\" (they override the scripts' #SBATCH lines)",
        };
        var collect = new Option<bool>("--collect")
        {
            Description = "After --executor slurm: the same command with --collect builds the tables, charts and report from the runs the jobs trained (finished runs are skipped, runs still claimed by a running job are waited for, any run left trains here)",
        };
        var command = new Command("reproduce", "Run the paper's ablation end to end: labels, pre-training, fine-tuning, results table and charts (resumable)");
        command.Options.Add(corpus);
        command.Options.Add(profile);
        command.Options.Add(experiment);
        command.Options.Add(seeds);
        command.Options.Add(folds);
        command.Options.Add(protocol);
        command.Options.Add(labelFractions);
        command.Options.Add(tasks);
        command.Options.Add(taskAssemblies);
        command.Options.Add(probe);
        command.Options.Add(beyond);
        command.Options.Add(controls);
        command.Options.Add(output);
        command.Options.Add(notebooks);
        command.Options.Add(noNotebooks);
        command.Options.Add(jobs);
        command.Options.Add(executor);
        command.Options.Add(dryRun);
        command.Options.Add(sbatchArgs);
        command.Options.Add(collect);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (profileName, experimentFile) = (parseResult.GetValue(profile), parseResult.GetValue(experiment));
            AblationProfile resolved;
            try
            {
                if (profileName is not null && experimentFile is not null)
                {
                    throw new ArgumentException("give either --profile or --experiment, not both");
                }
                resolved = AblationProfile.Resolve(experimentFile?.FullName ?? profileName ?? AblationProfile.Demo.Name);
            }
            catch (ArgumentException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return Task.FromResult(1);
            }
            SlurmOptions? slurm;
            try
            {
                slurm = ParseSlurm(parseResult.GetValue(executor)!, parseResult.GetValue(dryRun), parseResult.GetValue(sbatchArgs), parseResult.GetValue(collect));
            }
            catch (ArgumentException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return Task.FromResult(1);
            }
            var request = new ReproduceRequest(
                parseResult.GetValue(corpus)!,
                resolved,
                experimentFile?.FullName ?? resolved.Name,
                parseResult.GetValue(seeds) ?? resolved.Seeds,
                parseResult.GetValue(folds),
                parseResult.GetValue(protocol),
                parseResult.GetValue(labelFractions),
                parseResult.GetValue(probe),
                ParseControls(parseResult.GetValue(controls)) ?? resolved.Controls,
                parseResult.GetValue(output) ?? new DirectoryInfo(Reproduction.DefaultOutputDirectory(resolved.Name)),
                parseResult.GetValue(noNotebooks) ? null : parseResult.GetValue(notebooks)?.FullName ?? DefaultNotebooksFolder(),
                NotebooksExplicit: parseResult.GetValue(notebooks) is not null,
                Jobs: parseResult.GetValue(jobs) ?? DefaultJobs(resolved))
            {
                Tasks = parseResult.GetValue(tasks),
                TaskAssemblies = (parseResult.GetValue(taskAssemblies) ?? []).Select(Path.GetFullPath).ToArray(),
                Slurm = slurm,
                Collect = parseResult.GetValue(collect),
                Beyond = parseResult.GetValue(beyond),
                CollectCommand = CollectCommandLine(parseResult),
            };
            return RunAsync(console, request, cancellationToken);
        });
        return command;
    }

    /// <summary>The notebook suite shipped with the repository: <c>&lt;repository root&gt;/notebooks</c>.</summary>
    public static string DefaultNotebooksFolder() => Path.Combine(SerNotebooksPaths.Resolve().RepositoryRoot, "notebooks");

    /// <param name="ProfileArgument">What the notebooks get as their <c>profile</c> parameter: the built-in name or the experiment file's path.</param>
    private sealed record ReproduceRequest(
        string Corpus, AblationProfile Profile, string ProfileArgument, int Seeds, int Folds, string? Protocol, string? LabelFractions, bool Probe,
        IReadOnlyList<string> Controls, DirectoryInfo Output, string? Notebooks, bool NotebooksExplicit, int Jobs)
    {
        /// <summary>--tasks: the pretext tasks ("a,b,c"); null: every registered task.</summary>
        public string? Tasks { get; init; }

        /// <summary>--task-assembly: full paths of assemblies with the user's own tasks.</summary>
        public IReadOnlyList<string> TaskAssemblies { get; init; } = [];

        /// <summary>--executor slurm: submit the runs and exit (null: train here).</summary>
        public SlurmOptions? Slurm { get; init; }

        /// <summary>--collect: the normal path, announced as collecting what the Slurm jobs trained.</summary>
        public bool Collect { get; init; }

        /// <summary>--beyond: notebook 07's target study after the ablation (<see cref="TargetStudy"/>).</summary>
        public bool Beyond { get; init; }

        /// <summary>The command to run once the Slurm jobs have finished.</summary>
        public string CollectCommand { get; init; } = "";
    }

    private const string LocalExecutor = "local";
    private const string SlurmExecutor = "slurm";

    /// <summary>The Slurm options of --executor/--dry-run/--sbatch-args (null: local); throws on a combination that means nothing.</summary>
    private static SlurmOptions? ParseSlurm(string executor, bool dryRun, string? sbatchArgs, bool collect)
    {
        switch (executor.Trim().ToLowerInvariant())
        {
            case LocalExecutor:
                if (dryRun || sbatchArgs is not null)
                {
                    throw new ArgumentException("--dry-run and --sbatch-args go with --executor slurm");
                }
                return null;
            case SlurmExecutor when collect:
                throw new ArgumentException("--collect gathers what --executor slurm submitted: run it without --executor slurm, once the jobs have finished");
            case SlurmExecutor:
                return new SlurmOptions(dryRun, ShellWords.Split(sbatchArgs));
            default:
                throw new ArgumentException($"--executor '{executor}': expected local or slurm");
        }
    }

    /// <summary>This command line without the submission options and with --collect: what to run once the jobs have finished.</summary>
    private static string CollectCommandLine(ParseResult parseResult)
    {
        var words = new List<string> { "sernb" };
        var skipValue = false;
        foreach (var token in parseResult.Tokens)
        {
            if (skipValue)
            {
                skipValue = false;
                if (token.Type == System.CommandLine.Parsing.TokenType.Argument)
                {
                    continue;
                }
            }
            if (token.Type == System.CommandLine.Parsing.TokenType.Option && token.Value is "--executor" or "--sbatch-args")
            {
                skipValue = true;
                continue;
            }
            if (token.Value is "--dry-run" || token.Value.StartsWith("--executor=", StringComparison.Ordinal) || token.Value.StartsWith("--sbatch-args=", StringComparison.Ordinal))
            {
                continue;
            }
            words.Add(token.Value);
        }
        words.Add("--collect");
        return ShellWords.Join(words);
    }

    /// <summary>Runs at once by default: every core busy, each run using the experiment's threads.</summary>
    public static int DefaultJobs(AblationProfile profile) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, profile.Threads));

    /// <summary>This process's executor for <paramref name="jobs"/> runs at once: itself for 1, worker processes of this CLI above.</summary>
    private static IRunExecutor Executor(int jobs) => jobs == 1
        ? InProcessRunExecutor.Instance
        : new WorkerProcessExecutor(WorkerCommand.ForCli(typeof(ReproduceCommand).Assembly.Location), jobs);

    /// <summary>The names of --controls ("a,b"; "none" = no control), or null when the option is not given.</summary>
    private static IReadOnlyList<string>? ParseControls(string? text) =>
        text is null ? null
        : string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? []
        : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private const string TestSplitOption = "test-split";
    private const string FoldsOption = "folds";
    private const string SessionsOption = "sessions";

    /// <summary>Whether the request evaluates over sessions; throws on a contradictory --protocol / --folds pair.</summary>
    private static bool UsesSessions(ReproduceRequest request)
    {
        var protocol = request.Protocol?.Trim().ToLowerInvariant();
        switch (protocol)
        {
            case null:
                return false;
            case TestSplitOption when request.Folds != 0:
                throw new ArgumentException("--protocol test-split contradicts --folds; drop one of them");
            case FoldsOption when request.Folds == 0:
                throw new ArgumentException($"--protocol folds needs --folds K (K ≥ {SpeakerFolds.MinimumFolds})");
            case SessionsOption when request.Folds != 0:
                throw new ArgumentException("--protocol sessions uses the manifest's sessions as folds: drop --folds");
            case TestSplitOption or FoldsOption:
                return false;
            case SessionsOption:
                return true;
            default:
                throw new ArgumentException($"--protocol '{request.Protocol}': expected test-split, folds or sessions");
        }
    }

    /// <summary>The fractions of --label-fractions ("0.1,0.25,1"), or [1] when it is not given.</summary>
    private static IReadOnlyList<double> ParseFractions(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return AblationPlan.AllLabels;
        }
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 && f <= 1
                ? f
                : throw new ArgumentException($"--label-fractions: '{part}' is not a fraction in (0, 1]"))
            .ToArray();
    }

    private static async Task<int> RunAsync(IAnsiConsole console, ReproduceRequest request, CancellationToken cancellationToken)
    {
        if (request.NotebooksExplicit && !Directory.Exists(request.Notebooks) && !File.Exists(request.Notebooks))
        {
            // Before hours of training, not after.
            console.MarkupLineInterpolated($"[red]error:[/] --notebooks {request.Notebooks}: no such folder");
            return NotebooksCommand.InvalidInputExitCode;
        }
        if (request.Collect)
        {
            console.MarkupLineInterpolated($"[bold]collect[/]: tables, charts and report from the runs in {request.Output.FullName}. Runs the Slurm jobs finished are skipped, runs a job is still training are waited for, and any run no job finished trains here");
        }
        var exit = RunAblation(console, request, cancellationToken);
        if (exit != 0 || request.Notebooks is null || request.Slurm is not null)
        {
            // A Slurm submission has trained nothing yet: the notebooks run with --collect.
            return exit;
        }
        return await RunNotebooksAsync(console, request, cancellationToken);
    }

    /// <summary>
    /// The notebook suite over the reproduction's output folder: the notebooks get the same corpus, profile, seeds and
    /// folds and <c>runs</c> = the output folder, so they read the finished runs instead of training them again.
    /// </summary>
    private static async Task<int> RunNotebooksAsync(IAnsiConsole console, ReproduceRequest request, CancellationToken cancellationToken)
    {
        var folder = request.Notebooks!;
        if (!Directory.Exists(folder) && !request.NotebooksExplicit)
        {
            console.MarkupLineInterpolated($"[yellow]no notebooks folder at {folder}[/]: skipping the notebook report (give one with --notebooks DIR)");
            return 0;
        }
        var report = Path.Combine(request.Output.FullName, ReportFolder);
        var corpus = string.Equals(request.Corpus, Reproduction.DemoCorpus, StringComparison.OrdinalIgnoreCase) ? request.Corpus : Path.GetFullPath(request.Corpus);
        var parameters = new List<string>
        {
            $"corpus={corpus}",
            $"profile={request.ProfileArgument}",
            $"seeds={request.Seeds.ToString(CultureInfo.InvariantCulture)}",
            $"runs={request.Output.FullName}",
        };
        if (request.Folds != 0)
        {
            parameters.Add($"folds={request.Folds.ToString(CultureInfo.InvariantCulture)}");
        }
        if (request.Tasks is not null)
        {
            parameters.Add($"tasks={request.Tasks}");
        }
        if (request.TaskAssemblies.Count > 0)
        {
            parameters.Add($"taskAssemblies={TaskAssemblies.Format(request.TaskAssemblies)}");
        }
        console.MarkupLineInterpolated($"[bold]notebooks[/] {folder} over {request.Output.FullName}");
        int exit;
        try
        {
            exit = await NotebooksCommand.RunAsync([folder], report, parameters, console, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]cancelled[/]: run the same command again to continue");
            return 130;
        }
        if (exit != 0)
        {
            console.MarkupLineInterpolated($"[red]notebooks failed[/]: the ablation tables and charts in {request.Output.FullName} are complete; fix the notebook and run the same command again (finished runs are skipped)");
            return exit;
        }
        console.MarkupLineInterpolated($"notebook report: {Path.Combine(report, HtmlReport.IndexFileName)}");
        return 0;
    }

    private static int RunAblation(IAnsiConsole console, ReproduceRequest request, CancellationToken commandCancellation)
    {
        var (corpusName, profile, seedCount, folds, output) = (request.Corpus, request.Profile, request.Seeds, request.Folds, request.Output);
        bool sessions;
        AblationCorpus corpus;
        AblationPlan plan;
        try
        {
            if (request.Jobs < 1)
            {
                throw new ArgumentException($"--jobs must be at least 1, got {request.Jobs}");
            }
            if (seedCount < 1)
            {
                throw new ArgumentException($"--seeds must be at least 1, got {seedCount}");
            }
            if (folds != 0 && folds < SpeakerFolds.MinimumFolds)
            {
                throw new ArgumentException($"--folds must be at least {SpeakerFolds.MinimumFolds} (one fold to test, the next for development, the rest to train), got {folds}");
            }
            sessions = UsesSessions(request);
            var fractions = request.LabelFractions is null ? profile.LabelFractions ?? AblationPlan.AllLabels : ParseFractions(request.LabelFractions);
            TorchRuntime.EnsureLoadable();
            corpus = Reproduction.ResolveCorpus(corpusName, profile, output.FullName, message => console.MarkupLineInterpolated($"[grey]{message}[/]"), folds, sessions);
            plan = AblationPlan.Create(PretextTaskRegistry.Create(request.TaskAssemblies), request.Tasks, seedCount);
            plan = sessions ? plan.WithSessions(corpus.Folds!.Count) : folds == 0 ? plan : plan.WithFolds(folds);
            plan = plan.WithLabelFractions(fractions);
            if (request.Probe)
            {
                plan = plan.WithModes([FinetuneMode.Full, FinetuneMode.Probe]);
            }
            plan = plan.WithControls(request.Controls);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or TorchRuntimeException or SerNotebooks.Data.ManifestFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        var perFold = (plan.Folds == 0 ? "" : $" × {plan.Folds} {(plan.BySession ? "sessions" : "folds")}")
            + (plan.LabelFractions.Count == 1 ? "" : $" × {plan.LabelFractions.Count} label fractions")
            + (plan.Modes.Count == 1 ? "" : " × full/probe");
        console.MarkupLineInterpolated($"profile [bold]{profile.Name}[/], {plan.Configurations.Count} configurations{(plan.Controls.Count > 0 ? $" (controls: {string.Join(", ", plan.Controls)})" : "")} × {plan.Seeds.Count} seed(s){perFold}: {plan.Pretraining.Count} pre-training + {plan.Finetuning.Count} fine-tuning runs");
        console.MarkupLineInterpolated($"evaluation [bold]{plan.Protocol}[/]: {corpus.Evaluation}");
        if (request.Slurm is { } slurm)
        {
            return new SlurmConsole(console).Submit(slurm, () => SlurmSubmission.Run(plan, corpus, profile, output.FullName,
                WorkerCommand.ForCli(typeof(ReproduceCommand).Assembly.Location), slurm, message => console.MarkupLineInterpolated($"[grey]labels: {message}[/]"), commandCancellation),
                output.FullName, request.CollectCommand);
        }
        console.MarkupLineInterpolated($"{(request.Jobs == 1 ? "one run at a time in this process" : $"{request.Jobs} runs at once in worker processes")} ({profile.Threads} thread(s) each, {Environment.ProcessorCount} cores; --jobs N to change)");

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(commandCancellation);
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            args.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ConsoleProgress(console);
            using var executor = Executor(request.Jobs);
            var result = Reproduction.Run(plan, corpus, profile, output.FullName, progress, cancellation.Token, executor);
            WriteSummary(console, result);
            if (request.Beyond || profile.Targets is not null)
            {
                // With the ablation's workers, before the notebooks: notebook 07 then reads these runs instead of training them one at a time.
                RunTargetStudy(console, TargetStudy.Create(plan, output.FullName, result.Ablation.Summary, profile.StudyCombinations(withOptInTasks: request.Beyond), profile.StudyTargets()),
                    corpus, profile, progress, executor, cancellation.Token);
            }
            return 0;
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]cancelled[/]: run the same command again to continue");
            return 130;
        }
        catch (Exception e) when (e is TrainingRunException or TrainingConfigException or InvalidOperationException or IOException or EvaluationFormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Trains the study's missing runs and prints one summary per target, each scored against the intended labels.</summary>
    private static void RunTargetStudy(IAnsiConsole console, TargetStudy study, AblationCorpus corpus, AblationProfile profile,
        IProgress<AblationProgress> progress, IRunExecutor executor, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"[bold]beyond the paper[/]: {study.Plan.Configurations.Count} configurations × {study.Plan.Targets.Count} targets × {study.Plan.Seeds.Count} seed(s) ({study.Choice})");
        var result = study.Run(corpus, profile, progress, cancellationToken, executor);
        foreach (var group in result.Groups)
        {
            console.MarkupLineInterpolated($"[bold]target {group.Target?.Name}[/], scored against the intended labels");
            WriteSummaryTable(console, group.Summary);
        }
        console.MarkupLineInterpolated($"beyond-the-paper tables (intended and perceived references) and charts: {study.TablesDirectory}; trained {result.TrainedRuns} run(s), reused {result.SkippedRuns}");
    }

    private static void WriteSummary(IAnsiConsole console, ReproductionResult result)
    {
        var kFold = result.Ablation.Runs.Any(r => r.Fold is not null);
        var groups = result.Ablation.Groups.Count > 1 ? result.Ablation.Groups : [];
        var controls = result.Ablation.Summary.Configurations.Count(c => c.IsControl);
        var compared = result.Ablation.Summary.Configurations.Count - 1 - controls;
        console.MarkupLineInterpolated($"evaluation: [bold]{result.Ablation.Summary.Evaluation}[/] (mean ± std over {(kFold ? "seeds × folds" : "seeds")}; 95 % CI of macro F1: bootstrap over test speakers; paired tests pair {(kFold ? "seeds, each the mean over its folds (the folds of a seed share its pre-trained encoder)" : "runs by seed")}{(groups.Count > 0 ? ", within each label fraction and mode" : "")}; Holm: p adjusted across the {compared} configurations{(controls > 0 ? $", and separately across the {controls} controls" : "")})");
        foreach (var group in groups)
        {
            console.MarkupLineInterpolated($"[bold]{group.Describe()}[/]");
            WriteSummaryTable(console, group.Summary);
        }
        if (groups.Count == 0)
        {
            WriteSummaryTable(console, result.Ablation.Summary);
        }
        console.MarkupLineInterpolated($"runs table: {result.Ablation.RunsCsvPath}");
        console.MarkupLineInterpolated($"summary: {result.Ablation.SummaryCsvPath}");
        console.MarkupLineInterpolated($"charts: {result.Charts.Count} HTML files in {Path.GetDirectoryName(result.Charts[0])}");
        console.MarkupLineInterpolated($"trained {result.Ablation.TrainedRuns} run(s), skipped {result.Ablation.SkippedRuns} finished run(s); wall time {result.Elapsed:hh\\:mm\\:ss}");
    }

    private static void WriteSummaryTable(IAnsiConsole console, AblationSummary summary)
    {
        var table = new Table().AddColumns("configuration", "runs", "pairs", "macro P", "macro R", "macro F1", "F1 95% CI", "Δ F1 %", "t-test p", "t p Holm", "Wilcoxon p", "W p Holm");
        foreach (var configuration in summary.Configurations)
        {
            string Cell(string metric) => $"{Format(configuration[metric].Mean)} ± {Format(configuration[metric].Std)}";
            var comparison = configuration.VersusBaseline.TryGetValue(MetricNames.MacroF1, out var c) ? c : null;
            table.AddRow(
                Markup.Escape(SerNotebooks.Charts.EvaluationCharts.Label(configuration)),
                configuration.Runs.ToString(CultureInfo.InvariantCulture),
                configuration.Pairing is { } pairing ? Markup.Escape(ReportFrames.PairsText(pairing)) : "",
                Cell(MetricNames.MacroPrecision), Cell(MetricNames.MacroRecall), Cell(MetricNames.MacroF1),
                configuration.MacroF1Interval is { } interval ? $"{Format(interval.Low)}–{Format(interval.High)}" : "",
                comparison is null ? "" : Format(comparison.RelativeChangePercent),
                comparison is null ? "" : Format(comparison.TTest.PValue),
                comparison is null ? "" : Format(comparison.TTestPHolm),
                comparison is null ? "" : Format(comparison.Wilcoxon.PValue),
                comparison is null ? "" : Format(comparison.WilcoxonPHolm));
        }
        console.Write(table);
    }

    private static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Writes <see cref="AblationProgressLines"/>, coloured.</summary>
    private sealed class ConsoleProgress(IAnsiConsole console) : IProgress<AblationProgress>
    {
        public void Report(AblationProgress value)
        {
            if (AblationProgressLines.Describe(value) is not { } line)
            {
                return;
            }
            var text = Markup.Escape(line.Text);
            console.MarkupLine(line.Kind switch
            {
                ProgressLineKind.Quiet => $"[grey]{text}[/]",
                ProgressLineKind.Warning => $"[yellow]{text}[/]",
                _ => text,
            });
        }
    }
}
