using SerNotebooks.Demo;
using Xunit.Abstractions;

namespace SerNotebooks.Tests.Demo;

/// <summary>The face shows the latent emotion often but not always, and moves more when aroused.</summary>
public class FaceAnimatorTests(ITestOutputHelper output)
{
    private static (EmotionalState State, FaceTrack Track) Clip(DemoEmotion emotion, int index)
    {
        var random = DemoRandom.ForStream(77, DemoStreamPart.UnlabelledClip, index);
        var speaker = SpeakerProfile.Draw("s", DemoRandom.ForStream(77, DemoStreamPart.UnlabelledSpeaker, index));
        var state = EmotionalState.Draw(emotion, random.Uniform(0.3, 1.0), random);
        var style = VoiceStyle.Derive(state, speaker, random);
        var plan = UtterancePlan.Build(Phonetics.RandomUtterance(random, 10), style, random);
        return (state, FaceAnimator.Animate(plan, state, speaker, DemoRandom.ForStream(77, DemoStreamPart.UnlabelledClip, index, 2)));
    }

    /// <summary>Share of tracked frames in which every listed AU is present (the _c columns).</summary>
    private static double PrototypeShare(FaceTrack track, params int[] units)
    {
        var tracked = track.Frames.Where(f => f.Success).ToList();
        if (tracked.Count == 0)
        {
            return 0;
        }
        var indices = units.Select(FaceModel.UnitIndex).ToArray();
        return tracked.Count(f => indices.All(i => f.Presence[i] == 1)) / (double)tracked.Count;
    }

    [Fact]
    public void HappinessIsDisplayedAsAu6PlusAu12InManyClipsButNotAll()
    {
        const int n = 150;
        var happy = Enumerable.Range(0, n).Count(i => PrototypeShare(Clip(DemoEmotion.Happiness, i).Track, 6, 12) >= 0.2) / (double)n;
        var neutral = Enumerable.Range(n, n).Count(i => PrototypeShare(Clip(DemoEmotion.Neutral, i).Track, 6, 12) >= 0.2) / (double)n;
        var sad = Enumerable.Range(2 * n, n).Count(i => PrototypeShare(Clip(DemoEmotion.Sadness, i).Track, 1, 4, 15) >= 0.2) / (double)n;
        output.WriteLine($"AU6+AU12 shown: happiness {happy:P0}, neutral {neutral:P0}; AU1+AU4+AU15 shown: sadness {sad:P0}");
        Assert.InRange(happy, 0.3, 0.9);
        Assert.InRange(neutral, 0.0, 0.2);
        Assert.InRange(sad, 0.25, 0.9);
    }

    [Fact]
    public void LandmarkActivityGrowsWithArousal()
    {
        var arousal = new List<double>();
        var activity = new List<double>();
        var emotions = DemoEmotions.All;
        for (var i = 0; i < 180; i++)
        {
            var (state, track) = Clip(emotions[i % emotions.Count], 1000 + i);
            var steps = new List<double>();
            for (var f = 1; f < track.Frames.Count; f++)
            {
                var (a, b) = (track.Frames[f - 1], track.Frames[f]);
                if (!a.Success || !b.Success)
                {
                    continue;
                }
                var l = b.Landmarks;
                var iod = Math.Sqrt(Math.Pow(l[36] - l[45], 2) + Math.Pow(l[68 + 36] - l[68 + 45], 2));
                var sum = 0.0;
                for (var p = 0; p < 68; p++)
                {
                    sum += Math.Sqrt(Math.Pow(l[p] - a.Landmarks[p], 2) + Math.Pow(l[68 + p] - a.Landmarks[68 + p], 2));
                }
                steps.Add(sum / 68 / iod);
            }
            if (steps.Count > 0)
            {
                arousal.Add(state.Arousal);
                activity.Add(steps.Average());
            }
        }
        var rho = AcousticProbe.Spearman(arousal, activity);
        output.WriteLine($"Spearman(arousal, landmark activity) = {rho:F2} over {arousal.Count} clips");
        Assert.InRange(rho, 0.25, 0.9);
    }
}
