namespace SerNotebooks.Pretext;

/// <summary>
/// A task beyond the paper's three (the same lab's related methods): registered like any other task and used when named
/// (<c>--tasks</c>, a config's <c>tasks</c>), but not part of the default task list (<see cref="PretextTaskRegistry.PretextTaskNames"/>),
/// so the paper's ablation, its 7 combinations and their files stay what they are, and it gets no shuffled control.
/// </summary>
public interface IOptInTask : IPretextTask
{
}
