using System.Globalization;
using System.Text;
using SerNotebooks.Data.CremaD;

namespace SerNotebooks.Demo;

/// <summary>
/// Simulated perception study of the labelled demo clips, written in CREMA-D's own layouts
/// (<c>processedResults/tabulatedVotes.csv</c> and <c>processedResults/summaryTable.csv</c>): for every clip,
/// voice-only, face-only and audiovisual ratings by 8-12 raters each, drawn from the clip's latent state. A rater
/// sees the intended category with a probability that grows with the display strength in that modality (intensity
/// × the actor's vocal or facial expressiveness); otherwise perceives neutral (weak displays) or a category near the
/// clip's arousal/valence point (anger ↔ disgust ↔ fear, sadness ↔ neutral …). Each clip also gets its own
/// ambiguity, so agreement spreads from split votes to unanimity as in the real file.
/// </summary>
public static class RaterSimulation
{
    public const string Folder = CremaDCorpus.ProcessedResultsFolder;
    private const int RandomAspect = 3;

    // A D F H N S: the file's vote-column order.
    private static readonly DemoEmotion[] CodeOrder =
        [DemoEmotion.Anger, DemoEmotion.Disgust, DemoEmotion.Fear, DemoEmotion.Happiness, DemoEmotion.Neutral, DemoEmotion.Sadness];
    private static readonly string[] MeanColumns = ["Anger", "Disgust", "Fear", "Happy", "Neutral", "Sad"];

    /// <summary>The votes of one clip in one modality.</summary>
    internal sealed record ClipVotes(int[] Counts, double[] MeanResponse, double[] MeanResponseNorm, double MeanAll, double MedianAll,
        double MeanAllNorm, double MedianAllNorm)
    {
        public int Responses => Counts.Sum();
        public int Max => Counts.Max();
        public double Agreement => Max / (double)Responses;
        public string Vote => string.Join(":", Enumerable.Range(0, 6).Where(k => Counts[k] == Max).Select(k => CremaDRaterVotes.EmotionCodes[k]));
        public string Level => string.Join(":", Enumerable.Range(0, 6).Where(k => Counts[k] == Max)
            .Select(k => Math.Round(MeanResponse[k], 2).ToString("0.##", CultureInfo.InvariantCulture)));
    }

    /// <summary>A labelled clip as the raters see it.</summary>
    internal sealed record RatedClip(string FileName, EmotionalState State, SpeakerProfile Speaker, long Seed, int Index);

    internal static ClipVotes[] Rate(RatedClip clip)
    {
        var random = DemoRandom.ForStream(clip.Seed, DemoStreamPart.CremaClip, clip.Index, aspect: RandomAspect);
        var state = clip.State;
        var i = state.Emotion == DemoEmotion.Neutral ? 0 : state.Intensity;
        var voice = Math.Clamp(i * clip.Speaker.VocalExpressiveness * clip.Speaker.EmotionStyle[(int)state.Emotion], 0, 1.3);
        var face = Math.Clamp(i * clip.Speaker.FacialExpressiveness, 0, 1.3);
        var both = Math.Max(voice, face) + 0.35 * Math.Min(voice, face);
        var clarity = new[] { 0.75 * voice, 1.35 * face, 1.15 * both }; // voice alone is the hardest channel; tuned so agreement spreads as in CREMA-D's file (mean 0.64 / 0.70 / 0.73)
        var ambiguity = random.Gaussian(0, 0.6); // the same clip is clearer or murkier in every modality
        var votes = new ClipVotes[3];
        for (var m = 0; m < 3; m++)
        {
            votes[m] = RateModality(state, clarity[m] + 0.35 * ambiguity, random);
        }
        return votes;
    }

    private static ClipVotes RateModality(EmotionalState state, double clarity, DemoRandom random)
    {
        var logits = new double[6];
        for (var k = 0; k < 6; k++)
        {
            var emotion = CodeOrder[k];
            var (pa, pv) = emotion.Prototype();
            var distance = Math.Sqrt((state.Arousal - pa) * (state.Arousal - pa) + (state.Valence - pv) * (state.Valence - pv));
            logits[k] = -1.2 * distance + random.Gaussian(0, 0.55);
            if (emotion == DemoEmotion.Neutral)
            {
                logits[k] += state.Emotion == DemoEmotion.Neutral ? 1.6 : 1.6 - 1.6 * clarity;
            }
            else if (emotion == state.Emotion)
            {
                logits[k] += 2.4 * clarity;
            }
        }
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
        var raters = 8 + random.NextInt(5);
        var counts = new int[6];
        var responses = new List<double>[6];
        var norms = new List<double>[6];
        for (var k = 0; k < 6; k++)
        {
            responses[k] = [];
            norms[k] = [];
        }
        for (var r = 0; r < raters; r++)
        {
            var k = random.Choose(weights);
            counts[k]++;
            var bias = random.Gaussian(0, 0.1); // a rater's habitual use of the scale
            var centre = CodeOrder[k] == DemoEmotion.Neutral ? 0.62 : CodeOrder[k] == state.Emotion ? 0.3 + 0.5 * Math.Clamp(clarity, 0, 1) : 0.4;
            var felt = Math.Clamp(centre + random.Gaussian(0, 0.15), 0.02, 1);
            var response = Math.Round(100 * Math.Clamp(felt + bias, 0, 1));
            responses[k].Add(response);
            norms[k].Add(100 * felt);
        }
        var all = responses.SelectMany(x => x).ToArray();
        var allNorm = norms.SelectMany(x => x).ToArray();
        return new ClipVotes(
            counts,
            responses.Select(x => x.Count == 0 ? -1 : x.Average()).ToArray(),
            norms.Select(x => x.Count == 0 ? -1 : x.Average()).ToArray(),
            all.Average(), Median(all), allNorm.Average(), Median(allNorm));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Writes both tables under <paramref name="cremaRoot"/>/processedResults.</summary>
    internal static void Write(string cremaRoot, IReadOnlyList<RatedClip> clips)
    {
        var rated = clips.Select(c => (c.FileName, Votes: Rate(c))).ToArray();
        static string N(double value) => value.ToString("G15", CultureInfo.InvariantCulture);

        var tabulated = new StringBuilder("\"\",\"A\",\"D\",\"F\",\"H\",\"N\",\"S\",\"fileName\",\"numResponses\",\"agreement\",\"emoVote\",\"meanEmoResp\",");
        tabulated.Append(string.Join(",", MeanColumns.Select(c => $"\"mean{c}Resp\""))).Append(",\"medianEmoResp\",\"meanEmoRespNorm\",");
        tabulated.Append(string.Join(",", MeanColumns.Select(c => $"\"mean{c}RespNorm\""))).Append(",\"medianEmoRespNorm\"\n");
        for (var m = 0; m < 3; m++)
        {
            for (var c = 0; c < rated.Length; c++)
            {
                var v = rated[c].Votes[m];
                tabulated.Append(CultureInfo.InvariantCulture, $"\"{m + 1}{c + 1:00000}\",{string.Join(",", v.Counts)},\"{rated[c].FileName}\",{v.Responses},{N(v.Agreement)},\"{v.Vote}\",");
                tabulated.Append(N(v.MeanAll)).Append(',').Append(string.Join(",", v.MeanResponse.Select(N))).Append(',').Append(N(v.MedianAll)).Append(',');
                tabulated.Append(N(v.MeanAllNorm)).Append(',').Append(string.Join(",", v.MeanResponseNorm.Select(N))).Append(',').Append(N(v.MedianAllNorm)).Append('\n');
            }
        }
        var summary = new StringBuilder("\"\",\"FileName\",\"VoiceVote\",\"VoiceLevel\",\"FaceVote\",\"FaceLevel\",\"MultiModalVote\",\"MultiModalLevel\"\n");
        for (var c = 0; c < rated.Length; c++)
        {
            var (name, v) = rated[c];
            summary.Append(CultureInfo.InvariantCulture,
                $"\"{c + 1}\",\"{name}\",\"{v[0].Vote}\",\"{v[0].Level}\",\"{v[1].Vote}\",\"{v[1].Level}\",\"{v[2].Vote}\",\"{v[2].Level}\"\n");
        }
        var folder = Path.Combine(cremaRoot, Folder);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, CremaDRaterVotes.TabulatedVotesFileName), tabulated.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, CremaDRaterVotes.SummaryTableFileName), summary.ToString());
    }
}
