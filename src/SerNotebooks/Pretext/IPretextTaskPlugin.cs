namespace SerNotebooks.Pretext;

/// <summary>
/// Registers pretext tasks that live outside this library, s3prl style: a user's assembly holds one folder per task
/// (task, options, labeller, labeller state) and one public class implementing this interface with a parameterless
/// constructor. Naming the assembly (<c>--task-assembly</c> of <c>sernb labels</c> and <c>sernb reproduce</c>, the
/// notebooks' <c>taskAssemblies</c> parameter) is all it takes for its tasks to reach labelling, pre-training, the
/// tables, the charts and the notebooks (<see cref="PretextTaskRegistry.Create"/>; TASKS.md).
/// </summary>
public interface IPretextTaskPlugin
{
    /// <summary>Adds the plugin's tasks with <see cref="PretextTaskRegistry.Register"/>; called once per registry.</summary>
    void Register(PretextTaskRegistry registry);
}
