using SerNotebooks.Pretext;

namespace SerNotebooks.Tests.Pretext.StandIn;

/// <summary>The one registration of the stand-in task: what <c>--task-assembly &lt;this test assembly&gt;</c> finds.</summary>
public sealed class StandInTasks : IPretextTaskPlugin
{
    public void Register(PretextTaskRegistry registry) => registry.Register(new ChunkVoicingTask());
}
