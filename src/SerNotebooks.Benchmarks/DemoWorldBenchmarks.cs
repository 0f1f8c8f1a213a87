using System.Diagnostics;
using System.Globalization;
using SerNotebooks.Ablation;
using SerNotebooks.Data;
using SerNotebooks.Demo;
using SerNotebooks.Evaluation;
using SerNotebooks.Features;
using SerNotebooks.Pretext;

namespace SerNotebooks.Benchmarks;

/// <summary>
/// Measurements of the generated demo corpus (data-manifests/demo-corpus/RECIPE.md): how much emotion its labelled
/// audio carries (an independent classical probe), whether the unlabelled and labelled parts are one world, how the
/// pretext labels relate to the latent state, and the project's own baseline under k-fold by actor.
/// </summary>
internal static class DemoWorldBenchmarks
{
    private static readonly string[] Emotions = ["anger", "disgust", "fear", "happiness", "neutral", "sadness"];

    /// <summary>demo-world CORPUS: probe (k-fold by actor and test split), one-world comparison, pretext MI/NMI, task-3 agreement.</summary>
    public static void World(string[] args)
    {
        var root = Path.GetFullPath(args.Length > 0 ? args[0] : throw new ArgumentException("usage: demo-world <corpus folder>"));
        var pretraining = Manifest.Load(Path.Combine(root, DemoCorpusGenerator.PretrainingManifestFolder));
        var labelled = Manifest.Load(Path.Combine(root, DemoCorpusGenerator.CremaManifestFolder));
        var extractor = new FeatureExtractor(new FeatureExtractorConfig(), new FeatureCache(SerNotebooksPaths.Resolve().CacheDirectory));
        var clock = Stopwatch.StartNew();
        var unlabelledX = Features(pretraining, extractor);
        var labelledX = Features(labelled, extractor);
        Console.WriteLine($"features: {pretraining.Entries.Count} unlabelled + {labelled.Entries.Count} labelled clips in {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"audio: unlabelled {Hours(pretraining):0.000} h, labelled {Hours(labelled):0.000} h, ratio {Hours(pretraining) / Hours(labelled):0.0}×");
        var unlabelledY = pretraining.Entries.Select(e => Array.IndexOf(Emotions, e.Extras["latent_emotion"])).ToArray();
        var labelledY = labelled.Entries.Select(e => Array.IndexOf(Emotions, e.Emotion)).ToArray();
        var actors = labelled.Entries.Select(e => e.Speaker!).ToArray();

        // 1. Emotion audible: classical probe (log-mel utterance statistics + logistic regression), 5-fold by actor.
        var folds = ActorFolds(actors, 5);
        var pooledTrue = new List<int>();
        var pooledLabelled = new List<int>();
        var pooledUnlabelled = new List<int>();
        var fromUnlabelled = Probe.Fit(unlabelledX, unlabelledY);
        for (var f = 0; f < 5; f++)
        {
            var train = Enumerable.Range(0, actors.Length).Where(i => folds[actors[i]] != f).ToArray();
            var test = Enumerable.Range(0, actors.Length).Where(i => folds[actors[i]] == f).ToArray();
            var fromLabelled = Probe.Fit(train.Select(i => labelledX[i]).ToArray(), train.Select(i => labelledY[i]).ToArray());
            pooledTrue.AddRange(test.Select(i => labelledY[i]));
            pooledLabelled.AddRange(test.Select(i => fromLabelled.Predict(labelledX[i])));
            pooledUnlabelled.AddRange(test.Select(i => fromUnlabelled.Predict(labelledX[i])));
        }
        var probeKFold = ClassificationReport.Compute(pooledTrue, pooledLabelled, Emotions);
        var worldKFold = ClassificationReport.Compute(pooledTrue, pooledUnlabelled, Emotions);
        Console.WriteLine($"probe, 5-fold by actor (pooled): trained on labelled clips macro-F1 {probeKFold.Macro.F1:0.000} (accuracy {probeKFold.Accuracy:0.000})");
        Console.WriteLine($"one world, 5-fold by actor: trained on the unlabelled part's latent emotion ({unlabelledX.Length} clips) macro-F1 {worldKFold.Macro.F1:0.000} on the same test actors");
        Console.WriteLine("  per-class F1 (labelled-trained): " + string.Join(", ", Emotions.Select(e => $"{e} {probeKFold[e].F1:0.00}")));

        // 2. The same on the preparer's test split (the protocol of the ablation's default).
        var trainSplit = Enumerable.Range(0, actors.Length).Where(i => labelled.Entries[i].Split == "train").ToArray();
        var testSplit = Enumerable.Range(0, actors.Length).Where(i => labelled.Entries[i].Split == "test").ToArray();
        var splitLabelled = Probe.Fit(trainSplit.Select(i => labelledX[i]).ToArray(), trainSplit.Select(i => labelledY[i]).ToArray());
        var splitUnlabelled = fromUnlabelled;
        var testTrue = testSplit.Select(i => labelledY[i]).ToArray();
        var a = ClassificationReport.Compute(testTrue, testSplit.Select(i => splitLabelled.Predict(labelledX[i])).ToArray(), Emotions);
        var b = ClassificationReport.Compute(testTrue, testSplit.Select(i => splitUnlabelled.Predict(labelledX[i])).ToArray(), Emotions);
        Console.WriteLine($"test split ({testSplit.Length} clips of {testSplit.Select(i => actors[i]).Distinct().Count()} actors): " +
            $"trained on {trainSplit.Length} labelled train clips macro-F1 {a.Macro.F1:0.000}; on {unlabelledX.Length} unlabelled clips' latent emotion {b.Macro.F1:0.000}");

        // 3. Simulated raters: agreement spread and majority-vote accuracy per modality (CREMA-D's real file: mean agreement
        // 0.64 / 0.70 / 0.73 for voice / face / audiovisual, quartiles 0.50-0.78 / 0.50-0.89 / 0.56-0.90).
        var votesPath = Path.Combine(root, DemoCorpusGenerator.CremaFolder, RaterSimulation.Folder, Data.CremaD.CremaDRaterVotes.TabulatedVotesFileName);
        if (File.Exists(votesPath))
        {
            var votes = Data.CremaD.CremaDRaterVotes.ReadTabulated(votesPath);
            foreach (var group in votes.GroupBy(v => v.Modality).OrderBy(g => g.Key))
            {
                var agreement = group.Select(v => v.Agreement).Order().ToArray();
                double Q(double q) => agreement[(int)(q * (agreement.Length - 1))];
                var correct = group.Count(v => v.EmotionVote == v.FileName.Split('_')[2][..1]);
                Console.WriteLine($"raters, {group.Key,-11}: {group.Count()} clips, {group.Average(v => v.Responses):0.0} raters/clip ({group.Min(v => v.Responses)}-{group.Max(v => v.Responses)}), " +
                    $"agreement mean {agreement.Average():0.000}, quartiles {Q(0.25):0.00}/{Q(0.5):0.00}/{Q(0.75):0.00}, ties {group.Count(v => v.EmotionVote.Contains(':')) / (double)group.Count():0.000}, " +
                    $"majority = intended {correct / (double)group.Count():0.000}");
            }
        }

        // 4. Pretext labels vs the latent state, at each profile's chunking.
        var registry = PretextTaskRegistry.CreateDefault();
        foreach (var profile in AblationProfile.BuiltIn)
        {
            clock.Restart();
            var labelling = new PretextLabelling(registry, extractor, profile.Chunking);
            var result = labelling.Run(pretraining, AblationPlan.PaperTasks);
            Console.WriteLine($"pretext labels, profile {profile.Name} ({profile.Chunking.ChunkCount} chunks × {profile.Chunking.ChunkFrames} frames; {clock.Elapsed.TotalSeconds:0} s):");
            foreach (var column in new[] { "latent_emotion", "latent_arousal_level" })
            {
                foreach (var row in LabelReport.VersusReferenceRows(result, column))
                {
                    Console.WriteLine($"  {row.Task,-18} vs {column,-20} {row.Level,-6} n {row.Items,6}  MI {row.MutualInformationBits:0.000} bits ({row.MutualInformationBits * Math.Log(2):0.000} nats)  NMI {row.Nmi:0.000}");
                }
            }
            var au = result.LabelSets["au-emotion"];
            var agree = 0;
            var total = 0;
            foreach (var entry in pretraining.Entries)
            {
                if (au.ByClip.TryGetValue(entry.Id, out var labels) && labels.HasAnyLabel)
                {
                    var label = LabelReport.ClipLabel(au, labels);
                    if (label < 0)
                    {
                        continue;
                    }
                    total++;
                    agree += au.Classes[label] == entry.Extras["latent_emotion"] ? 1 : 0;
                }
            }
            Console.WriteLine($"  au-emotion agreement with latent emotion: {agree}/{total} = {agree / (double)Math.Max(1, total):0.000}");
        }
    }

    /// <summary>demo-baseline CORPUS [FOLDS=5] [OUT]: the project's baseline (random init, demo profile) fine-tuned with k-fold by actor.</summary>
    public static void Baseline(string[] args)
    {
        var root = Path.GetFullPath(args.Length > 0 ? args[0] : throw new ArgumentException("usage: demo-baseline <corpus folder> [folds] [output folder]"));
        var folds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var output = Path.GetFullPath(args.Length > 2 ? args[2] : Path.Combine(SerNotebooksPaths.Resolve().ReportsDirectory, $"demo-baseline-{Path.GetFileName(root)}-{folds}fold"));
        var profile = AblationProfile.Demo;
        var clock = Stopwatch.StartNew();
        var corpus = Reproduction.ResolveCorpus(root, profile, output, Console.WriteLine, folds);
        var plan = AblationPlan.Create(AblationPlan.PaperTasks, [1], combinations: []);
        if (folds > 0)
        {
            plan = plan.WithFolds(folds);
        }
        AblationRunner.Run(plan, corpus, profile, output, progress: new Progress(p =>
        {
            if (p.Stage == AblationStage.Finetuning && p.Run is not null)
            {
                Console.WriteLine($"  {p.Run} ({clock.Elapsed.TotalSeconds:0} s)");
            }
        }));
        var report = Reproduction.PooledReport(plan, output, AblationPlan.Baseline);
        Console.WriteLine($"baseline ({profile.Name} profile, {plan.Protocol}, seed 1): pooled macro-F1 {report.Macro.F1:0.000}, accuracy {report.Accuracy:0.000}, {report.Count} test clips, {clock.Elapsed.TotalMinutes:0.0} min");
        Console.WriteLine("  per-class F1: " + string.Join(", ", report.ClassNames.Select(c => $"{c} {report[c].F1:0.00}")));
        Console.WriteLine($"  runs and predictions: {output}");
    }

    private sealed class Progress(Action<AblationProgress> report) : IProgress<AblationProgress>
    {
        private string? _last;

        public void Report(AblationProgress value)
        {
            if (value.Run != _last)
            {
                _last = value.Run;
                report(value);
            }
        }
    }

    private static double Hours(Manifest manifest) =>
        manifest.Entries.Sum(e => new FileInfo(manifest.Resolve(e.AudioPath)).Length - 44) / 2.0 / 16000 / 3600;

    /// <summary>Actors dealt to folds in sorted order, sex-blind (a probe needs no stratification to be comparable).</summary>
    private static Dictionary<string, int> ActorFolds(string[] actors, int k) =>
        actors.Distinct().Order(StringComparer.Ordinal).Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i % k, StringComparer.Ordinal);

    /// <summary>Utterance statistics of the log-mel bands over speech frames: mean, standard deviation and mean |Δ| per band, plus level and tempo.</summary>
    private static double[][] Features(Manifest manifest, FeatureExtractor extractor)
    {
        var rows = new double[manifest.Entries.Count][];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var set = extractor.Extract(manifest.Resolve(manifest.Entries[i].AudioPath));
            var frames = Enumerable.Range(0, set.Frames).Where(f => set.SpeechMask[f]).ToArray();
            if (frames.Length < 5)
            {
                frames = Enumerable.Range(0, set.Frames).ToArray();
            }
            var bands = set.LogMel.Bands;
            var row = new List<double>();
            for (var b = 0; b < bands; b++)
            {
                var values = frames.Select(f => (double)set.LogMel[f, b]).ToArray();
                var mean = values.Average();
                row.Add(mean);
                row.Add(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
                row.Add(frames.Skip(1).Select(f => Math.Abs(set.LogMel[f, b] - set.LogMel[f - 1, b])).DefaultIfEmpty(0).Average());
            }
            var energy = frames.Select(f => (double)set.LogEnergyDb[f]).Order().ToArray();
            row.Add(energy.Average());
            row.Add(energy[(int)(0.9 * (energy.Length - 1))] - energy[(int)(0.1 * (energy.Length - 1))]);
            row.Add(frames.Length / (double)set.Frames);
            rows[i] = [.. row];
        });
        return rows;
    }

    /// <summary>Multinomial logistic regression, L2-regularised, balanced class weights, full-batch Adam on z-scored features.</summary>
    private sealed class Probe
    {
        private readonly double[] _mean;
        private readonly double[] _scale;
        private readonly double[,] _w;

        private Probe(double[] mean, double[] scale, double[,] w) => (_mean, _scale, _w) = (mean, scale, w);

        public static Probe Fit(double[][] x, int[] y, double l2 = 3e-3, int iterations = 400)
        {
            var n = x.Length;
            var d = x[0].Length;
            var mean = Enumerable.Range(0, d).Select(j => x.Average(r => r[j])).ToArray();
            var scale = Enumerable.Range(0, d).Select(j => Math.Max(1e-9, Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j]))))).ToArray();
            var z = x.Select(r => Enumerable.Range(0, d).Select(j => (r[j] - mean[j]) / scale[j]).Append(1.0).ToArray()).ToArray();
            var classCounts = Enumerable.Range(0, 6).Select(c => y.Count(v => v == c)).ToArray();
            var sampleWeight = y.Select(c => n / (6.0 * Math.Max(1, classCounts[c]))).ToArray();
            var dim = d + 1;
            var w = new double[6, dim];
            var m = new double[6, dim];
            var v = new double[6, dim];
            var grad = new double[6, dim];
            var p = new double[6];
            const double rate = 0.05, beta1 = 0.9, beta2 = 0.999;
            for (var it = 1; it <= iterations; it++)
            {
                Array.Clear(grad);
                for (var i = 0; i < n; i++)
                {
                    Softmax(w, z[i], p);
                    for (var c = 0; c < 6; c++)
                    {
                        var g = sampleWeight[i] * (p[c] - (y[i] == c ? 1 : 0)) / n;
                        for (var j = 0; j < dim; j++)
                        {
                            grad[c, j] += g * z[i][j];
                        }
                    }
                }
                for (var c = 0; c < 6; c++)
                {
                    for (var j = 0; j < dim; j++)
                    {
                        var g = grad[c, j] + (j < d ? l2 * w[c, j] : 0);
                        m[c, j] = beta1 * m[c, j] + (1 - beta1) * g;
                        v[c, j] = beta2 * v[c, j] + (1 - beta2) * g * g;
                        var mh = m[c, j] / (1 - Math.Pow(beta1, it));
                        var vh = v[c, j] / (1 - Math.Pow(beta2, it));
                        w[c, j] -= rate * mh / (Math.Sqrt(vh) + 1e-8);
                    }
                }
            }
            return new Probe(mean, scale, w);
        }

        public int Predict(double[] x)
        {
            var z = x.Select((value, j) => (value - _mean[j]) / _scale[j]).Append(1.0).ToArray();
            var p = new double[6];
            Softmax(_w, z, p);
            return Array.IndexOf(p, p.Max());
        }

        private static void Softmax(double[,] w, double[] z, double[] p)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < 6; c++)
            {
                var s = 0.0;
                for (var j = 0; j < z.Length; j++)
                {
                    s += w[c, j] * z[j];
                }
                p[c] = s;
                max = Math.Max(max, s);
            }
            var sum = 0.0;
            for (var c = 0; c < 6; c++)
            {
                p[c] = Math.Exp(p[c] - max);
                sum += p[c];
            }
            for (var c = 0; c < 6; c++)
            {
                p[c] /= sum;
            }
        }
    }
}
