using System.Globalization;
using System.Text;
using SerNotebooks.Data;
using SerNotebooks.Data.CremaD;

namespace SerNotebooks.Demo;

/// <summary>Progress of a generation run: clips done (written or already present) out of all clips.</summary>
public sealed record DemoCorpusProgress(int Completed, int Total, string Item);

/// <summary>
/// Generates the embedded demo corpus: an unlabelled audiovisual pre-training set (WAV, OpenFace CSV,
/// some face videos) and a labelled set in CREMA-D's layout, both driven by hidden emotional states
/// (see data-manifests/demo-corpus/RECIPE.md). Deterministic for a seed: every clip has its own random
/// streams, so clips are generated in parallel and the bytes do not depend on scheduling. Re-running over
/// a complete corpus is a no-op; over a partial one it writes only what is missing.
/// </summary>
public static class DemoCorpusGenerator
{
    /// <summary>Bump whenever output bytes change for a given seed and size.</summary>
    public const int GeneratorVersion = 3;
    public const long DefaultSeed = 1234;
    public const string UnlabelledFolder = "unlabelled";
    public const string CremaFolder = "crema-d";
    public const string PretrainingManifestFolder = "manifests/pretraining";
    public const string CremaManifestFolder = "manifests/crema-d";
    public const string DemographicsFileName = "VideoDemographics.csv";
    public const double MinimumUnlabelledSeconds = 1.5;
    public const double MaximumUnlabelledSeconds = 5.0;
    /// <summary>Longest read sentence, acted or unlabelled.</summary>
    public const double MaximumScriptedSeconds = 4.9;

    /// <summary>Everyday speech is mostly neutral (enum order: anger, disgust, fear, happiness, neutral, sadness).</summary>
    private static readonly double[] UnlabelledEmotionWeights = [0.10, 0.09, 0.09, 0.17, 0.42, 0.13];

    /// <summary>Share of unlabelled clips that read one of the 12 CREMA-D sentences (the rest is free speech).</summary>
    public const double ScriptedUnlabelledShare = 0.35;

    /// <summary>Extra silence around an acted or read sentence (CREMA-D clips average about 2.5 s).</summary>
    private const double ScriptedExtraSilence = 0.35;

    // CREMA-D lists a sentence's clips in this emotion order.
    private static readonly DemoEmotion[] CremaEmotionOrder =
        [DemoEmotion.Neutral, DemoEmotion.Happiness, DemoEmotion.Sadness, DemoEmotion.Anger, DemoEmotion.Fear, DemoEmotion.Disgust];

    public static DemoCorpusInfo Generate(string outputDirectory, DemoCorpusSize size, long seed = DefaultSeed,
        Action<DemoCorpusProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(outputDirectory);
        var sizeName = size.ToString().ToLowerInvariant();
        var existing = CheckExisting(root, sizeName, seed);
        var plan = new CorpusPlan(seed, DemoCorpusProfile.For(size));
        var clips = plan.AllClips();
        var finalInfo = Summarise(plan, clips, sizeName, complete: true);

        if (existing is { Complete: true } && ExpectedFiles(root, clips).All(File.Exists))
        {
            progress?.Invoke(new DemoCorpusProgress(clips.Count, clips.Count, "already complete"));
            return existing;
        }
        Directory.CreateDirectory(root);
        if (existing is null)
        {
            (finalInfo with { Complete = false, Unlabelled = null, Labelled = null }).Save(root);
        }

        var completed = 0;
        var gate = new object();
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
        {
            WriteClip(root, clips[i]);
            var done = Interlocked.Increment(ref completed);
            if (progress is not null)
            {
                lock (gate)
                {
                    progress(new DemoCorpusProgress(done, clips.Count, clips[i].Id));
                }
            }
        });

        WriteManifests(root, plan, clips);
        finalInfo.Save(root);
        return finalInfo;
    }

    private static DemoCorpusInfo? CheckExisting(string root, string sizeName, long seed)
    {
        var existing = DemoCorpusInfo.TryLoad(root);
        if (existing is null)
        {
            if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            {
                throw new InvalidOperationException(
                    $"{root}: folder is not empty and holds no {DemoCorpusInfo.FileName}; choose an empty or new folder for the demo corpus");
            }
            return null;
        }
        if (existing.Seed != seed || !string.Equals(existing.Size, sizeName, StringComparison.Ordinal) || existing.GeneratorVersion != GeneratorVersion)
        {
            throw new InvalidOperationException(
                $"{Path.Combine(root, DemoCorpusInfo.FileName)}: folder holds a demo corpus of size '{existing.Size}', seed {existing.Seed}, " +
                $"generator version {existing.GeneratorVersion}; asked for size '{sizeName}', seed {seed}, version {GeneratorVersion}. " +
                "Choose another folder or delete this one.");
        }
        return existing;
    }

    private static IEnumerable<string> ExpectedFiles(string root, IReadOnlyList<DemoClip> clips)
    {
        foreach (var clip in clips)
        {
            foreach (var path in clip.Files(root))
            {
                yield return path;
            }
        }
        foreach (var folder in new[] { PretrainingManifestFolder, CremaManifestFolder })
        {
            yield return Path.Combine(root, folder, Manifest.CsvFileName);
            yield return Path.Combine(root, folder, Manifest.MetadataFileName);
        }
        yield return Path.Combine(root, CremaFolder, DemographicsFileName);
        yield return Path.Combine(root, CremaFolder, RaterSimulation.Folder, CremaDRaterVotes.TabulatedVotesFileName);
        yield return Path.Combine(root, CremaFolder, RaterSimulation.Folder, CremaDRaterVotes.SummaryTableFileName);
    }

    private static void WriteClip(string root, DemoClip clip)
    {
        var audioPath = clip.AbsoluteAudio(root);
        if (!File.Exists(audioPath))
        {
            var voiceRandom = DemoRandom.ForStream(clip.Seed, clip.Part, clip.Index, aspect: 1);
            var samples = VoiceSynthesizer.Synthesize(clip.Plan, clip.Style, clip.Speaker, voiceRandom);
            AtomicFile.Write(audioPath, stream => PcmWavWriter.Write(stream, samples, VoiceSynthesizer.SampleRate));
        }
        var csvPath = clip.OpenFacePath is null ? null : Path.Combine(root, clip.PartFolder, clip.OpenFacePath);
        var videoPath = clip.VideoPath is null ? null : Path.Combine(root, clip.PartFolder, clip.VideoPath);
        if ((csvPath is not null && !File.Exists(csvPath)) || (videoPath is not null && !File.Exists(videoPath)))
        {
            var faceRandom = DemoRandom.ForStream(clip.Seed, clip.Part, clip.Index, aspect: 2);
            var track = FaceAnimator.Animate(clip.Plan, clip.State, clip.Speaker, faceRandom);
            if (csvPath is not null && !File.Exists(csvPath))
            {
                AtomicFile.Write(csvPath, stream => OpenFaceCsv.Write(stream, track));
            }
            if (videoPath is not null && !File.Exists(videoPath))
            {
                FaceVideoRenderer.Write(videoPath, track, clip.Speaker);
            }
        }
    }

    private static void WriteManifests(string root, CorpusPlan plan, IReadOnlyList<DemoClip> clips)
    {
        string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
        var unlabelled = clips.Where(c => c.Part == DemoStreamPart.UnlabelledClip).Select(c => new ManifestEntry
        {
            Id = c.Id,
            AudioPath = c.AudioPath,
            OpenFacePath = c.OpenFacePath,
            VideoPath = c.VideoPath,
            Speaker = c.Speaker.Id,
            Sex = c.Speaker.Sex,
            Extras = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["latent_emotion"] = c.State.Emotion.Label(),
                ["latent_arousal"] = F(c.State.Arousal),
                ["latent_valence"] = F(c.State.Valence),
                ["latent_intensity"] = F(c.State.Intensity),
                ["latent_arousal_level"] = c.State.ArousalLevel,
            },
        }).ToList();
        new Manifest(
            new ManifestMetadata("demo-pretraining", ManifestMetadata.UnlabelledKind, $"../../{UnlabelledFolder}",
                "Demo corpus: synthetic unlabelled audiovisual speech (WAV 16 kHz, OpenFace 2.x CSV at 30 fps, some MJPG videos). " +
                "latent_* columns are the generator's hidden state for analysis only; models must not read them."),
            Path.Combine(root, UnlabelledFolder), unlabelled).Save(Path.Combine(root, PretrainingManifestFolder));

        var demographics = new StringBuilder("\"ActorID\",\"Age\",\"Sex\",\"Race\",\"Ethnicity\"\n");
        foreach (var actor in plan.Actors)
        {
            demographics.Append(CultureInfo.InvariantCulture,
                $"{actor.Profile.Id},{actor.Profile.Age},\"{actor.Profile.Sex}\",\"{actor.Race}\",\"{actor.Ethnicity}\"\n");
        }
        AtomicFile.WriteAllText(Path.Combine(root, CremaFolder, DemographicsFileName), demographics.ToString());

        // Simulated raters (voice, face, audiovisual) in CREMA-D's processedResults layouts.
        RaterSimulation.Write(Path.Combine(root, CremaFolder), clips.Where(c => c.Part == DemoStreamPart.CremaClip)
            .Select(c => new RaterSimulation.RatedClip(c.Id, c.State, c.Speaker, c.Seed, c.Index)).ToList());

        // The labelled set goes through the same preparer a real CREMA-D checkout does, so its manifest,
        // labels and speaker-independent splits are exactly what a user's corpus would get.
        CremaDPreparer.PrepareAndSave(Path.Combine(root, CremaFolder), Path.Combine(root, CremaManifestFolder),
            new CremaDPrepareOptions { Name = "demo-crema-d" });
    }

    private static DemoCorpusInfo Summarise(CorpusPlan plan, IReadOnlyList<DemoClip> clips, string sizeName, bool complete)
    {
        DemoPartSummary Part(DemoStreamPart part)
        {
            var selected = clips.Where(c => c.Part == part).ToList();
            var seconds = selected.Sum(c => Math.Ceiling(c.Plan.Duration * VoiceSynthesizer.SampleRate) / VoiceSynthesizer.SampleRate);
            return new DemoPartSummary(
                selected.Count,
                selected.Select(c => c.Speaker.Id).Distinct().Count(),
                selected.Count(c => c.VideoPath is not null),
                Math.Round(seconds / 3600, 3));
        }
        return new DemoCorpusInfo
        {
            GeneratorVersion = GeneratorVersion,
            Seed = plan.Seed,
            Size = sizeName,
            Complete = complete,
            Unlabelled = Part(DemoStreamPart.UnlabelledClip),
            Labelled = Part(DemoStreamPart.CremaClip),
        };
    }

    /// <summary>An actor of the labelled set with the demographic columns of CREMA-D's VideoDemographics.csv.</summary>
    internal sealed record DemoActor(SpeakerProfile Profile, string Race, string Ethnicity, IReadOnlyList<string> Sentences);

    /// <summary>Everything about a clip that is cheap to know without synthesising it.</summary>
    internal sealed record DemoClip(
        string Id, DemoStreamPart Part, int Index, long Seed, SpeakerProfile Speaker, EmotionalState State, VoiceStyle Style,
        UtterancePlan Plan, string PartFolder, string AudioPath, string? OpenFacePath, string? VideoPath, string? Sentence, string? Level)
    {
        public string AbsoluteAudio(string root) => Path.Combine(root, PartFolder, AudioPath);

        public IEnumerable<string> Files(string root)
        {
            yield return AbsoluteAudio(root);
            if (OpenFacePath is not null)
            {
                yield return Path.Combine(root, PartFolder, OpenFacePath);
            }
            if (VideoPath is not null)
            {
                yield return Path.Combine(root, PartFolder, VideoPath);
            }
        }
    }

    /// <summary>Speakers, actors and clip descriptions derived from the seed.</summary>
    internal sealed class CorpusPlan
    {
        public CorpusPlan(long seed, DemoCorpusProfile profile)
        {
            Seed = seed;
            Profile = profile;
            Speakers = Enumerable.Range(0, profile.UnlabelledSpeakers)
                .Select(s => SpeakerProfile.Draw($"spk{s + 1:000}", DemoRandom.ForStream(seed, DemoStreamPart.UnlabelledSpeaker, s)))
                .ToArray();
            Actors = Enumerable.Range(0, profile.Actors).Select(DrawActor).ToArray();
        }

        public long Seed { get; }
        public DemoCorpusProfile Profile { get; }
        public IReadOnlyList<SpeakerProfile> Speakers { get; }
        public IReadOnlyList<DemoActor> Actors { get; }

        public List<DemoClip> AllClips()
        {
            var clips = new List<DemoClip>();
            for (var i = 0; i < Profile.UnlabelledClips; i++)
            {
                clips.Add(DescribeUnlabelled(i));
            }
            var index = 0;
            foreach (var actor in Actors)
            {
                foreach (var sentence in actor.Sentences)
                {
                    foreach (var emotion in CremaEmotionOrder)
                    {
                        var levels = sentence == "IEO" && emotion != DemoEmotion.Neutral ? ["LO", "MD", "HI"] : new[] { "XX" };
                        foreach (var level in levels)
                        {
                            clips.Add(DescribeCrema(index++, actor, sentence, emotion, level));
                        }
                    }
                }
            }
            return clips;
        }

        private DemoActor DrawActor(int a)
        {
            var random = DemoRandom.ForStream(Seed, DemoStreamPart.CremaActor, a);
            var profile = SpeakerProfile.Draw((1001 + a).ToString(CultureInfo.InvariantCulture), random);
            // Proportions of CREMA-D's own actors (VideoDemographics.csv).
            string[] races = ["Caucasian", "African American", "Asian", "Unknown"];
            var race = races[random.Choose([61, 22, 7, 1])];
            var ethnicity = random.Chance(10.0 / 91) ? "Hispanic" : "Not Hispanic";
            var all = CremaDClipName.Sentences.Keys.ToArray();
            var count = Math.Min(Profile.SentencesPerActor, all.Length);
            var sentences = Enumerable.Range(0, count).Select(j => (a * count + j) % all.Length).Distinct().Order().Select(s => all[s]).ToArray();
            return new DemoActor(profile, race, ethnicity, sentences);
        }

        private DemoClip DescribeUnlabelled(int index)
        {
            var speaker = Speakers[index / Profile.ClipsPerSpeaker];
            var random = DemoRandom.ForStream(Seed, DemoStreamPart.UnlabelledClip, index);
            var emotion = (DemoEmotion)random.Choose(UnlabelledEmotionWeights);
            // The same intensity range as the acted clips (LO 0.35 … HI 0.95), so both parts are one world.
            var state = EmotionalState.Draw(emotion, random.Uniform(0.3, 1.0), random);
            var style = VoiceStyle.Derive(state, speaker, random);
            UtterancePlan plan;
            if (random.Chance(ScriptedUnlabelledShare))
            {
                // A read CREMA-D sentence, timed and framed like the acted clips.
                var sentences = CremaDClipName.Sentences.Keys.ToArray();
                var sentence = sentences[random.NextInt(sentences.Length)];
                (plan, style) = BuildScripted(sentence, style, random, MinimumUnlabelledSeconds);
            }
            else
            {
                // 1.5-5 s clips: the syllable budget follows this clip's speaking rate.
                var maxSyllables = Math.Max(5, (int)((4.3 - 0.7) * style.SyllableRate));
                var syllableCount = Math.Min(5 + random.NextInt(14), maxSyllables);
                do
                {
                    plan = UtterancePlan.Build(Phonetics.RandomUtterance(random, syllableCount), style, random, minDuration: MinimumUnlabelledSeconds);
                    syllableCount -= 2; // pauses can push a clip past the longest length: say less
                }
                while (plan.Duration > MaximumUnlabelledSeconds && syllableCount >= 3);
            }
            var id = $"{speaker.Id}_{index % Profile.ClipsPerSpeaker + 1:0000}";
            var video = index % Profile.VideoEvery == 0 ? $"video/{speaker.Id}/{id}.avi" : null;
            return new DemoClip(id, DemoStreamPart.UnlabelledClip, index, Seed, speaker, state, style, plan, UnlabelledFolder,
                $"audio/{speaker.Id}/{id}.wav", $"openface/{speaker.Id}/{id}.csv", video, null, null);
        }

        /// <summary>
        /// A CREMA-D sentence with silence around it, at most <see cref="MaximumScriptedSeconds"/> long (CREMA-D's clips
        /// stay under 5 s): a very slow reading is tried again with less silence, then faster and with fewer pauses.
        /// </summary>
        private static (UtterancePlan Plan, VoiceStyle Style) BuildScripted(string sentence, VoiceStyle style, DemoRandom random, double? minDuration)
        {
            var plan = UtterancePlan.Build(Phonetics.CremaSentence(sentence), style, random, minDuration, extraSilence: ScriptedExtraSilence);
            for (var attempt = 0; attempt < 6 && plan.Duration > MaximumScriptedSeconds; attempt++)
            {
                if (attempt > 0)
                {
                    style = style with { SyllableRate = style.SyllableRate * 1.1, PauseProbability = style.PauseProbability * 0.6, PauseScale = Math.Max(1, style.PauseScale * 0.8) };
                }
                plan = UtterancePlan.Build(Phonetics.CremaSentence(sentence), style, random, minDuration, extraSilence: 0);
            }
            return (plan, style);
        }

        private DemoClip DescribeCrema(int index, DemoActor actor, string sentence, DemoEmotion emotion, string level)
        {
            var random = DemoRandom.ForStream(Seed, DemoStreamPart.CremaClip, index);
            var intensity = level switch
            {
                "LO" => 0.35,
                "MD" => 0.65,
                "HI" => 0.95,
                _ => random.Uniform(0.45, 0.95),
            };
            var state = EmotionalState.Draw(emotion, intensity, random);
            var style = VoiceStyle.Derive(state, actor.Profile, random);
            // Acted clips carry more silence around the sentence (CREMA-D clips average about 2.5 s).
            var (plan, spokenStyle) = BuildScripted(sentence, style, random, minDuration: null);
            style = spokenStyle;
            var id = $"{actor.Profile.Id}_{sentence}_{emotion.CremaCode()}_{level}";
            return new DemoClip(id, DemoStreamPart.CremaClip, index, Seed, actor.Profile, state, style, plan, CremaFolder,
                $"AudioWAV/{id}.wav", null, null, sentence, level);
        }
    }
}
