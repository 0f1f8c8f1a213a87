using SerNotebooks.Benchmarks;

// Usage: dotnet run -c Release --project src/SerNotebooks.Benchmarks -- <name> ...   (names below; "all" runs every one)
var benchmarks = new Dictionary<string, Action>(StringComparer.OrdinalIgnoreCase)
{
    ["logmel"] = FeatureBenchmarks.LogMel,
    ["cache"] = FeatureBenchmarks.Cache,
    ["training"] = TrainingBenchmarks.Conv,
    ["training-lstm"] = TrainingBenchmarks.Lstm,
};

var requested = args.Length == 0 ? [] : args.Contains("all", StringComparer.OrdinalIgnoreCase) ? benchmarks.Keys.ToArray() : args;
if (requested.Length == 0)
{
    Console.Error.WriteLine($"usage: SerNotebooks.Benchmarks <{string.Join("|", benchmarks.Keys)}|all> ...");
    return 2;
}
foreach (var name in requested)
{
    if (!benchmarks.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"unknown benchmark '{name}'; known: {string.Join(", ", benchmarks.Keys)}");
        return 2;
    }
    Console.WriteLine($"== {name} ({Environment.ProcessorCount} logical CPUs visible, .NET {Environment.Version}) ==");
    run();
}
return 0;
