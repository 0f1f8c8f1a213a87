using SerNotebooks.Benchmarks;

// Usage: dotnet run -c Release --project src/SerNotebooks.Benchmarks -- <name> ...   (names below; "all" runs every one)
//    or: dotnet run -c Release --project src/SerNotebooks.Benchmarks -- <measurement> ARGS...   (measurements below take arguments)
var measurements = new Dictionary<string, Action<string[]>>(StringComparer.OrdinalIgnoreCase)
{
    // Demo corpus properties (data-manifests/demo-corpus/RECIPE.md): demo-world CORPUS; demo-baseline CORPUS [FOLDS] [OUT].
    ["demo-world"] = DemoWorldBenchmarks.World,
    ["demo-baseline"] = DemoWorldBenchmarks.Baseline,
    // README's main command per --jobs value, fresh folders: reproduce-jobs SERNB PROFILE JOBS[,JOBS] [reproduce options].
    ["reproduce-jobs"] = ParallelRunsBenchmarks.Reproduce,
    // Paper-scale shards, loader, RSS and ablation wall time (TRAINING.md, "Out-of-core features"): paper-shards [OUT_DIR] [HOURS] [float32,float16].
    ["paper-shards"] = ShardBenchmarks.Paper,
    // The paper ablation's projected wall time for a given step time: paper-projection STEP_MS [CLIPS].
    ["paper-projection"] = ShardBenchmarks.Projection,
    // OpenFace CSV reading as the face tasks read (one thread): openface-read FOLDER [FILES].
    ["openface-read"] = FaceBenchmarks.Read,
};
if (args.Length > 0 && measurements.TryGetValue(args[0], out var measure))
{
    Console.WriteLine($"== {args[0]} ({Environment.ProcessorCount} logical CPUs visible, .NET {Environment.Version}) ==");
    measure(args[1..]);
    return 0;
}

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
    Console.Error.WriteLine($"usage: SerNotebooks.Benchmarks <{string.Join("|", benchmarks.Keys)}|all> ...  or  <{string.Join("|", measurements.Keys)}> ARGS...");
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
