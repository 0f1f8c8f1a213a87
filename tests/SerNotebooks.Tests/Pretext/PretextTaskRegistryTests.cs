using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.EnergyVariation;

namespace SerNotebooks.Tests.Pretext;

public class PretextTaskRegistryTests
{
    [Fact]
    public void DefaultRegistryListsTheEnergyTaskWithUniqueNames()
    {
        var registry = PretextTaskRegistry.CreateDefault();

        var names = registry.All.Select(t => t.Name).ToList();
        Assert.Contains(EnergyVariationTask.TaskName, names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.IsType<EnergyVariationTask>(registry.Get("energy-variation"));
    }

    [Fact]
    public void RejectsASecondTaskWithTheSameNameAndNamesTheKnownTasksForAnUnknownOne()
    {
        var registry = new PretextTaskRegistry().Register(new EnergyVariationTask());

        var duplicate = Assert.Throws<InvalidOperationException>(() =>
            registry.Register(new EnergyVariationTask(new EnergyVariationOptions { PerSpeakerNormalisation = true })));
        Assert.Contains("energy-variation", duplicate.Message);
        var unknown = Assert.Throws<KeyNotFoundException>(() => registry.Get("lip-reading"));
        Assert.Contains("lip-reading", unknown.Message);
        Assert.Contains("energy-variation", unknown.Message);
    }
}
