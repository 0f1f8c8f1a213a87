using SerNotebooks.Pretext.Tasks.AuEmotion;
using SerNotebooks.Pretext.Tasks.Controls;
using SerNotebooks.Pretext.Tasks.EnergyVariation;
using SerNotebooks.Pretext.Tasks.FacialActivation;

namespace SerNotebooks.Pretext;

/// <summary>
/// The one place where pretext tasks are registered, and the single source of the task list: <c>sernb labels</c>,
/// <c>sernb reproduce</c> (<c>--tasks</c>), the ablation plan and the notebooks (<c>tasks</c>) all take their tasks
/// from a registry. Configs name tasks by <see cref="IPretextTask.Name"/>. The library's tasks are registered by
/// <see cref="CreateDefault"/>; a user's tasks come from their own assembly (<see cref="IPretextTaskPlugin"/>,
/// <see cref="Create"/>), with no file of the library changed (TASKS.md).
/// </summary>
public sealed class PretextTaskRegistry
{
    private readonly List<IPretextTask> _tasks = [];

    /// <summary>An empty registry (tests and commands that assemble their own task set).</summary>
    public PretextTaskRegistry()
        : this([])
    {
    }

    private PretextTaskRegistry(IReadOnlyList<string> taskAssemblies)
    {
        TaskAssemblies = taskAssemblies;
    }

    public IReadOnlyList<IPretextTask> All => _tasks;

    /// <summary>
    /// The tasks that are neither controls (<see cref="IControlTask"/>) nor opt-in (<see cref="IOptInTask"/>):
    /// what "every task" means.
    /// </summary>
    public IReadOnlyList<IPretextTask> PretextTasks => _tasks.Where(t => t is not IControlTask and not IOptInTask).ToList();

    /// <summary>The tasks <c>--tasks</c> may name: <see cref="PretextTasks"/>, then the opt-in tasks.</summary>
    public IReadOnlyList<string> SelectableTaskNames => [.. PretextTaskNames, .. OptInTaskNames];

    /// <summary>The opt-in tasks (<see cref="IOptInTask"/>, not controls) in registration order: used only when named.</summary>
    public IReadOnlyList<string> OptInTaskNames => _tasks.Where(t => t is IOptInTask and not IControlTask).Select(t => t.Name).ToList();

    /// <summary>The names of <see cref="PretextTasks"/> in registration order: the default task list everywhere.</summary>
    public IReadOnlyList<string> PretextTaskNames => PretextTasks.Select(t => t.Name).ToList();

    /// <summary>
    /// The full paths of the assemblies whose <see cref="IPretextTaskPlugin"/>s registered tasks here: what another
    /// process (a notebook, a later command on the same output folder) needs to build the same registry.
    /// </summary>
    public IReadOnlyList<string> TaskAssemblies { get; }

    /// <summary>The library's tasks and their controls.</summary>
    public static PretextTaskRegistry CreateDefault() => Create([]);

    /// <summary>
    /// The library's tasks, then the tasks of every <see cref="IPretextTaskPlugin"/> in <paramref name="taskAssemblies"/>
    /// (in the order given), then the controls: the oracle and a shuffled control of every task, the user's included.
    /// </summary>
    /// <exception cref="ArgumentException">An assembly is missing or has no plugin, or two tasks share a name.</exception>
    public static PretextTaskRegistry Create(IReadOnlyList<string> taskAssemblies)
    {
        ArgumentNullException.ThrowIfNull(taskAssemblies);
        var paths = taskAssemblies.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
        var registry = new PretextTaskRegistry(paths);
        registry.Register(new EnergyVariationTask());
        registry.Register(new FacialActivationTask());
        registry.Register(new AuEmotionTask());
        // Beyond the paper, opt-in (IOptInTask): used only when named.
        registry.Register(new Tasks.FacialActivationRegression.FacialActivationRegressionTask());
        registry.Register(new Tasks.Clustering.ClusteringTask());
        foreach (var plugin in paths.SelectMany(Pretext.TaskAssemblies.PluginsOf))
        {
            try
            {
                plugin.Register(registry);
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException($"{plugin.GetType().FullName}: {e.Message}", e);
            }
        }
        // Controls (Controls/): shown apart from the tasks, labelled only when asked for by name.
        registry.Register(new OracleEmotionTask());
        foreach (var task in registry.PretextTasks)
        {
            registry.Register(new ShuffledTask(task));
        }
        return registry;
    }

    public PretextTaskRegistry Register(IPretextTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_tasks.Any(t => t.Name == task.Name))
        {
            throw new InvalidOperationException($"a pretext task named '{task.Name}' is already registered");
        }
        _tasks.Add(task);
        return this;
    }

    public IPretextTask Get(string name) =>
        _tasks.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException(
            $"unknown pretext task '{name}'; registered tasks: {string.Join(", ", _tasks.Select(t => t.Name))}");

    /// <summary>
    /// The tasks of a <c>--tasks a,b,c</c> list (or a <c>tasks</c> notebook parameter), in the order given;
    /// <see cref="PretextTaskNames"/> when it is null or blank.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a registered task, is a control (controls have their own option) or repeats.</exception>
    public IReadOnlyList<string> SelectTasks(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return PretextTaskNames;
        }
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            if (!SelectableTaskNames.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"--tasks: '{name}' is not a registered pretext task (registered: {string.Join(", ", SelectableTaskNames)}" +
                    (_tasks.Any(t => t.Name == name) ? $"; '{name}' is a control: give it with --controls)" : "; a task of your own needs --task-assembly)"));
            }
        }
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length
            ? names
            : throw new ArgumentException($"--tasks: a task is named twice in '{list}'");
    }
}
