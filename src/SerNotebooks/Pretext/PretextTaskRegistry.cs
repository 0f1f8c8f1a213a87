namespace SerNotebooks.Pretext;

/// <summary>
/// The one place where pretext tasks are registered. Configs name tasks by <see cref="IPretextTask.Name"/>;
/// a new task is one class plus one line in <see cref="CreateDefault"/>.
/// </summary>
public sealed class PretextTaskRegistry
{
    private readonly List<IPretextTask> _tasks = [];

    public IReadOnlyList<IPretextTask> All => _tasks;

    /// <summary>The tasks that are not controls (<see cref="Controls.IControlTask"/>): what "every task" means.</summary>
    public IReadOnlyList<IPretextTask> PretextTasks => _tasks.Where(t => t is not Controls.IControlTask).ToList();

    public static PretextTaskRegistry CreateDefault()
    {
        var registry = new PretextTaskRegistry();
        registry.Register(new EnergyVariationTask());
        registry.Register(new Faces.FacialActivationTask());
        registry.Register(new Faces.AuEmotionTask());
        // Controls (Controls/): shown apart from the paper's tasks, labelled only when asked for by name.
        registry.Register(new Controls.OracleEmotionTask());
        foreach (var paperTask in registry.All.Where(t => t is not Controls.IControlTask).ToList())
        {
            registry.Register(new Controls.ShuffledTask(paperTask));
        }
        return registry;
    }

    public PretextTaskRegistry Register(IPretextTask task)
    {
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
}
