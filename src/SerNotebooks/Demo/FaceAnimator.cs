namespace SerNotebooks.Demo;

/// <summary>
/// Animates a face for one clip: speech articulation from the utterance plan (jaw, lip closure and
/// rounding), an EMFACS-style action-unit display of the latent emotion that is sometimes full,
/// sometimes partial and sometimes masked, conversational brow flashes and blinks, head motion that
/// grows with arousal, and an imperfect tracker (landmark noise, low-confidence stretches, failure bursts).
/// </summary>
public static class FaceAnimator
{
    /// <summary>The AU prototypes the generator displays for each latent category (EMFACS, OpenFace 2 AUs).</summary>
    public static IReadOnlyList<int> DisplayedUnits(DemoEmotion emotion) => emotion switch
    {
        DemoEmotion.Anger => [4, 5, 7, 23],
        DemoEmotion.Disgust => [9, 15],
        DemoEmotion.Fear => [1, 2, 4, 5, 7, 20, 26],
        DemoEmotion.Happiness => [6, 12],
        DemoEmotion.Sadness => [1, 4, 15],
        _ => [],
    };

    // Frequent companions that do not change the prototype but make displays less uniform.
    private static IReadOnlyList<int> CompanionUnits(DemoEmotion emotion) => emotion switch
    {
        DemoEmotion.Anger => [17, 10],
        DemoEmotion.Disgust => [10, 4, 17],
        DemoEmotion.Fear => [25],
        DemoEmotion.Happiness => [25, 14],
        DemoEmotion.Sadness => [17, 14],
        _ => [],
    };

    private const double FocalLength = 500.0 * FaceTrack.DefaultWidth / 640; // OpenFace's default fx for an uncalibrated camera
    private const double InterOcularMillimetres = 63;

    public static FaceTrack Animate(UtterancePlan plan, EmotionalState state, SpeakerProfile speaker, DemoRandom random)
    {
        var frameCount = (int)Math.Round(plan.Duration * FaceTrack.FrameRate);
        var unitCount = FaceModel.PresenceUnits.Count;
        var truth = new double[frameCount][];
        for (var f = 0; f < frameCount; f++)
        {
            truth[f] = new double[unitCount];
        }
        AddEmotionDisplay(truth, state, speaker, plan.Duration, random);
        AddConversationalUnits(truth, plan, state, random);
        var (jaw, rounding, closure) = Articulation(plan, state, speaker, frameCount);
        var blink = Blinks(frameCount, state, random);
        var pose = HeadMotion(plan, state, speaker, frameCount, random);
        var failures = TrackingFailures(frameCount, speaker, random);

        var neutral = FaceModel.NeutralShape(speaker);
        var frames = new FaceFrame[frameCount];
        var au25 = FaceModel.UnitIndex(25);
        var au26 = FaceModel.UnitIndex(26);
        var au45 = FaceModel.UnitIndex(45);
        var smoothedNoise = new double[unitCount];
        for (var f = 0; f < frameCount; f++)
        {
            var shape = ((double X, double Y, double Z)[])neutral.Clone();
            var units = truth[f];
            // An emotional jaw drop (fear) opens the mouth like speech does; what the mouth does is what
            // OpenFace scores as AU25 (lips part) and AU26 (jaw drop).
            var jawOpening = Math.Max(jaw[f], units[au26] / 5 * 0.7);
            units[au25] = Math.Max(units[au25], Math.Clamp((jawOpening - 0.08) * 7 * (1 - closure[f]), 0, 5));
            units[au26] = Math.Max(units[au26], Math.Clamp((jawOpening - 0.4) * 6, 0, 5));
            units[au45] = Math.Max(units[au45], blink[f] * 4);
            for (var u = 0; u < unitCount; u++)
            {
                var au = FaceModel.PresenceUnits[u];
                if (au is not (25 or 26 or 45))
                {
                    FaceModel.ApplyUnit(shape, au, units[u]);
                }
            }
            FaceModel.ApplyArticulation(shape, jawOpening, rounding[f], closure[f], blink[f]);
            var projected = Project(shape, pose[f], speaker, out var poseColumns);

            var (failed, confidence) = failures[f];
            var landmarks = new double[2 * FaceModel.LandmarkCount];
            var intensities = new double[FaceModel.IntensityUnits.Count];
            var presence = new double[unitCount];
            if (!failed)
            {
                var jitter = confidence > 0.85 ? 0.35 : 1.5;
                for (var i = 0; i < FaceModel.LandmarkCount; i++)
                {
                    landmarks[i] = projected[i].X + random.Gaussian(0, jitter);
                    landmarks[FaceModel.LandmarkCount + i] = projected[i].Y + random.Gaussian(0, jitter);
                }
                var r = 0;
                for (var u = 0; u < unitCount; u++)
                {
                    // The detector's errors drift slowly rather than per frame.
                    smoothedNoise[u] = 0.8 * smoothedNoise[u] + random.Gaussian(0, 0.12);
                    var observed = Math.Clamp(units[u] + smoothedNoise[u] + random.Gaussian(0, 0.08), 0, 5);
                    if (FaceModel.PresenceUnits[u] != 28)
                    {
                        intensities[r++] = observed;
                        presence[u] = observed + random.Gaussian(0, 0.3) > 1.0 ? 1 : 0;
                    }
                    else
                    {
                        presence[u] = units[u] > 0.5 || random.Chance(0.004) ? 1 : 0;
                    }
                }
            }
            else
            {
                poseColumns = new double[6];
            }
            frames[f] = new FaceFrame
            {
                Timestamp = f / FaceTrack.FrameRate,
                Success = !failed,
                Confidence = confidence,
                Pose = poseColumns,
                Landmarks = landmarks,
                Intensities = intensities,
                Presence = presence,
                RenderPoints = projected,
                Occluded = failed,
            };
        }
        return new FaceTrack(frames, FaceTrack.DefaultWidth, FaceTrack.DefaultHeight);
    }

    /// <summary>
    /// The emotion's AU prototype over time. Display is full with a probability that grows with intensity
    /// and the speaker's facial expressiveness; otherwise partial (a prototype AU missing) or masked
    /// (a polite smile, or a still face).
    /// </summary>
    private static void AddEmotionDisplay(double[][] truth, EmotionalState state, SpeakerProfile speaker, double duration, DemoRandom random)
    {
        var prototype = DisplayedUnits(state.Emotion);
        if (prototype.Count == 0)
        {
            if (random.Chance(0.12))
            {
                AddEpisode(truth, [6, 12], random.Uniform(0.8, 2.0), duration, random); // social smile on a neutral clip
            }
            return;
        }
        var fullProbability = Math.Clamp(0.2 + 0.6 * state.Intensity * speaker.FacialExpressiveness, 0.05, 0.92);
        var draw = random.NextDouble();
        List<int> shown;
        if (draw < fullProbability)
        {
            shown = [.. prototype];
        }
        else if (draw < fullProbability + (1 - fullProbability) * 0.55)
        {
            shown = [.. prototype];
            var drop = 1 + (prototype.Count > 3 && random.Chance(0.5) ? 1 : 0);
            for (var d = 0; d < drop && shown.Count > 1; d++)
            {
                shown.RemoveAt(random.NextInt(shown.Count));
            }
        }
        else if (random.Chance(0.4) && state.Emotion != DemoEmotion.Happiness)
        {
            shown = [6, 12]; // masking smile
        }
        else
        {
            shown = [];
        }
        foreach (var companion in CompanionUnits(state.Emotion))
        {
            if (shown.Count > 0 && random.Chance(0.35))
            {
                shown.Add(companion);
            }
        }
        if (shown.Count == 0)
        {
            return;
        }
        var apex = Math.Clamp(0.8 + 3.6 * state.Intensity * speaker.FacialExpressiveness + random.Gaussian(0, 0.5), 0.8, 5);
        AddEpisode(truth, shown, apex, duration, random);
        if (duration > 2.5 && random.Chance(0.3))
        {
            AddEpisode(truth, shown, apex * random.Uniform(0.5, 1.0), duration, random);
        }
    }

    private static void AddEpisode(double[][] truth, IReadOnlyList<int> units, double apex, double duration, DemoRandom random)
    {
        var frames = truth.Length;
        var onset = random.Uniform(-0.3, 0.35) * duration;
        var rise = random.Uniform(0.15, 0.6);
        var offset = random.Uniform(0.6, 1.2) * duration;
        var fall = random.Uniform(0.2, 0.6);
        foreach (var au in units)
        {
            var index = FaceModel.UnitIndex(au);
            var unitApex = apex * random.Uniform(0.7, 1.15);
            var wobble = 0.0;
            for (var f = 0; f < frames; f++)
            {
                var t = f / FaceTrack.FrameRate;
                var envelope = Math.Clamp((t - onset) / rise, 0, 1) * Math.Clamp((offset - t) / fall, 0, 1);
                wobble = 0.92 * wobble + random.Gaussian(0, 0.06);
                truth[f][index] = Math.Max(truth[f][index], Math.Clamp(unitApex * envelope * (1 + wobble), 0, 5));
            }
        }
    }

    /// <summary>Brow flashes (AU1+AU2) on some stressed syllables, more often when aroused; a slight AU14/AU17 now and then.</summary>
    private static void AddConversationalUnits(double[][] truth, UtterancePlan plan, EmotionalState state, DemoRandom random)
    {
        var flashProbability = Math.Clamp(0.12 + 0.18 * state.Arousal, 0.03, 0.35);
        var au1 = FaceModel.UnitIndex(1);
        var au2 = FaceModel.UnitIndex(2);
        foreach (var phone in plan.Phones.Where(p => p.Stressed && p.Phone.Kind == PhoneKind.Vowel))
        {
            if (!random.Chance(flashProbability))
            {
                continue;
            }
            var height = random.Uniform(1.0, 2.8);
            var centre = (phone.Start + phone.End) / 2;
            for (var f = 0; f < truth.Length; f++)
            {
                var d = (f / FaceTrack.FrameRate - centre) / 0.18;
                if (d is > -3 and < 3)
                {
                    var value = height * Math.Exp(-d * d);
                    truth[f][au1] = Math.Max(truth[f][au1], value);
                    truth[f][au2] = Math.Max(truth[f][au2], value * random.Uniform(0.7, 1.0));
                }
            }
        }
    }

    private static (double[] Jaw, double[] Rounding, double[] Closure) Articulation(UtterancePlan plan, EmotionalState state, SpeakerProfile speaker, int frameCount)
    {
        var jaw = new double[frameCount];
        var rounding = new double[frameCount];
        var closure = new double[frameCount];
        var gain = speaker.ArticulationScale * (1 + 0.35 * state.Arousal);
        const int subSteps = 4;
        double j = 0, r = 0, c = 0;
        var p = 0;
        for (var f = 0; f < frameCount; f++)
        {
            double tj = 0, tr = 0, tc = 0;
            for (var s = 0; s < subSteps; s++)
            {
                var t = (f + s / (double)subSteps) / FaceTrack.FrameRate;
                while (p < plan.Phones.Count && plan.Phones[p].End <= t)
                {
                    p++;
                }
                if (p < plan.Phones.Count && plan.Phones[p].Start <= t)
                {
                    var phone = plan.Phones[p];
                    var loudness = Math.Clamp(1 + 0.03 * phone.LevelDb, 0.6, 1.5);
                    tj += phone.Phone.JawOpening * gain * loudness;
                    tr += phone.Phone.Rounding;
                    tc += phone.Phone.LipClosure ? 1 : 0;
                }
            }
            // Articulators are massive: a first-order lag of about 40 ms.
            const double k = 0.55;
            j += (Math.Clamp(tj / subSteps, 0, 1.2) - j) * k;
            r += (tr / subSteps - r) * k;
            c += (tc / subSteps - c) * 0.7;
            jaw[f] = j;
            rounding[f] = r;
            closure[f] = c;
        }
        return (jaw, rounding, closure);
    }

    private static double[] Blinks(int frameCount, EmotionalState state, DemoRandom random)
    {
        var blink = new double[frameCount];
        var meanInterval = Math.Clamp(3.2 - 1.2 * state.Arousal, 1.2, 5);
        var t = random.Uniform(0, meanInterval);
        while (t < frameCount / FaceTrack.FrameRate)
        {
            var start = (int)(t * FaceTrack.FrameRate);
            ReadOnlySpan<double> shape = [0.5, 1.0, 0.8, 0.3];
            for (var i = 0; i < shape.Length && start + i < frameCount; i++)
            {
                blink[start + i] = shape[i];
            }
            t += Math.Max(0.3, -meanInterval * Math.Log(1 - random.NextDouble()));
        }
        return blink;
    }

    /// <summary>Head rotation (Ornstein-Uhlenbeck wander plus nods on stressed syllables) and translation.</summary>
    private static double[][] HeadMotion(UtterancePlan plan, EmotionalState state, SpeakerProfile speaker, int frameCount, DemoRandom random)
    {
        var amount = speaker.HeadMotion * (1 + 0.9 * Math.Max(state.Arousal, 0) - 0.3 * Math.Max(-state.Arousal, 0));
        var dt = 1 / FaceTrack.FrameRate;
        const double tau = 0.8;
        var decay = Math.Exp(-dt / tau);
        var drive = Math.Sqrt(1 - decay * decay);
        var rotation = new[] { random.Gaussian(0, 0.05), random.Gaussian(0, 0.08), random.Gaussian(0, 0.04) };
        var mean = new[] { random.Gaussian(0.02, 0.05), random.Gaussian(0, 0.08), random.Gaussian(0, 0.04) };
        var spread = new[] { 0.035 * amount, 0.05 * amount, 0.025 * amount };
        var translation = new[] { 0.0, 0.0 };
        var nods = plan.Phones.Where(p => p.Stressed && p.Phone.Kind == PhoneKind.Vowel).Select(p => p.Start).Distinct().ToArray();
        var pose = new double[frameCount][];
        for (var f = 0; f < frameCount; f++)
        {
            for (var a = 0; a < 3; a++)
            {
                rotation[a] = mean[a] + (rotation[a] - mean[a]) * decay + spread[a] * drive * random.NextGaussian();
            }
            for (var a = 0; a < 2; a++)
            {
                translation[a] = translation[a] * 0.97 + random.Gaussian(0, 0.25 * amount);
            }
            var t = f * dt;
            var nod = 0.0;
            foreach (var n in nods)
            {
                var d = (t - n - 0.05) / 0.12;
                if (d is > -3 and < 3)
                {
                    nod += 0.03 * amount * Math.Exp(-d * d);
                }
            }
            pose[f] = [rotation[0] + nod, rotation[1], rotation[2], translation[0], translation[1]];
        }
        return pose;
    }

    /// <summary>Per frame: failed (success 0) and tracker confidence; failures come in bursts with low-confidence edges.</summary>
    private static (bool Failed, double Confidence)[] TrackingFailures(int frameCount, SpeakerProfile speaker, DemoRandom random)
    {
        var result = new (bool, double)[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            result[f] = (false, Math.Round(Math.Clamp(random.Gaussian(0.94, 0.025), 0.85, 0.98), 2));
        }
        if (random.Chance(0.015))
        {
            for (var f = 0; f < frameCount; f++)
            {
                result[f] = (true, Math.Round(random.Uniform(0, 0.25), 2)); // face never found in this clip
            }
            return result;
        }
        var expectedBursts = (0.1 + 1.1 * speaker.TrackingDifficulty * speaker.TrackingDifficulty) * frameCount / 100.0;
        var bursts = 0;
        while (random.NextDouble() < expectedBursts / (bursts + 1.0) && bursts < 6)
        {
            bursts++;
            var length = 2 + (int)(-6 * Math.Log(1 - random.NextDouble()));
            var start = random.NextInt(Math.Max(1, frameCount));
            for (var f = Math.Max(0, start - 3); f < Math.Min(frameCount, start + length + 3); f++)
            {
                var inside = f >= start && f < start + length;
                result[f] = inside
                    ? (true, Math.Round(random.Uniform(0, 0.3), 2))
                    : (false, Math.Min(result[f].Item2, Math.Round(random.Uniform(0.4, 0.8), 2)));
            }
        }
        return result;
    }

    private static (double X, double Y)[] Project((double X, double Y, double Z)[] shape, double[] pose, SpeakerProfile speaker, out double[] poseColumns)
    {
        double rx = pose[0], ry = pose[1], rz = pose[2];
        double cx = Math.Cos(rx), sx = Math.Sin(rx), cy = Math.Cos(ry), sy = Math.Sin(ry), cz = Math.Cos(rz), sz = Math.Sin(rz);
        var scale = speaker.InterOcularPixels;
        var originX = FaceTrack.DefaultWidth / 2.0 + speaker.CentreX + pose[3];
        var originY = FaceTrack.DefaultHeight * 0.4 + speaker.CentreY + pose[4];
        var points = new (double X, double Y)[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            var (x, y, z) = shape[i];
            // R = Rz * Ry * Rx applied to the face-frame point.
            var y1 = cx * y - sx * z;
            var z1 = sx * y + cx * z;
            var x2 = cy * x + sy * z1;
            var y3 = y1;
            var x3 = cz * x2 - sz * y3;
            var y4 = sz * x2 + cz * y3;
            points[i] = (originX + scale * x3, originY + scale * y4);
        }
        var tz = FocalLength * InterOcularMillimetres / scale;
        poseColumns =
        [
            (originX - FaceTrack.DefaultWidth / 2.0) * tz / FocalLength,
            (originY - FaceTrack.DefaultHeight / 2.0) * tz / FocalLength,
            tz,
            rx,
            ry,
            rz,
        ];
        return points;
    }
}
