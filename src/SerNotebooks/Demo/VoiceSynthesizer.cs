namespace SerNotebooks.Demo;

/// <summary>
/// Klatt-style source-filter synthesis at 16 kHz: a Rosenberg glottal pulse (differentiated for lip
/// radiation) along an F0 contour with declination, pitch accents, jitter, shimmer and tremor; a
/// one-pole spectral-tilt filter; aspiration noise; a cascade of four second-order formant resonators
/// following smoothed phone targets; and a parallel band-pass noise branch for frication and bursts.
/// </summary>
public static class VoiceSynthesizer
{
    public const int SampleRate = 16_000;
    private const int ControlStep = 16; // 1 ms

    public static float[] Synthesize(UtterancePlan plan, VoiceStyle style, SpeakerProfile speaker, DemoRandom random)
    {
        var sampleCount = (int)Math.Ceiling(plan.Duration * SampleRate);
        var controlCount = sampleCount / ControlStep + 2;
        var tracks = BuildTracks(plan, style, controlCount, random);

        var voicedOut = new float[sampleCount];
        var fricOut = new float[sampleCount];
        var t = 1.0 / SampleRate;
        var phase = 0.0;
        var periodF0Factor = 1.0;
        var periodAmp = 1.0;
        var previousGlottal = 0.0;
        var tilted = 0.0;
        Span<double> y1 = stackalloc double[4];
        Span<double> y2 = stackalloc double[4];
        Span<double> ca = stackalloc double[4];
        Span<double> cb = stackalloc double[4];
        Span<double> cc = stackalloc double[4];
        double fx1 = 0, fx2 = 0, fy1 = 0, fy2 = 0;
        double fb0 = 0, fa1 = 0, fa2 = 0;
        var oq = style.OpenQuotient;
        var rise = 0.62 * oq;
        var fall = 0.38 * oq;
        var tiltPole = style.TiltPole;
        var vowelSumSquares = 0.0;
        var vowelSamples = 0;
        var allSumSquares = 0.0;

        for (var k = 0; k < controlCount - 1; k++)
        {
            var first = k * ControlStep;
            if (first >= sampleCount)
            {
                break;
            }
            // Formant resonators (Klatt 1980): unity gain at DC, coefficients refreshed every millisecond.
            for (var f = 0; f < 4; f++)
            {
                var freq = Math.Min(tracks.Formants[f][k], SampleRate * 0.45);
                var bw = tracks.Bandwidths[f];
                cc[f] = -Math.Exp(-2 * Math.PI * bw * t);
                cb[f] = 2 * Math.Exp(-Math.PI * bw * t) * Math.Cos(2 * Math.PI * freq * t);
                ca[f] = 1 - cb[f] - cc[f];
            }
            // Frication band-pass (constant 0 dB peak gain).
            {
                var w0 = 2 * Math.PI * Math.Min(tracks.NoiseCentre[k], SampleRate * 0.45) / SampleRate;
                var q = Math.Max(0.5, tracks.NoiseCentre[k] / Math.Max(200, tracks.NoiseBandwidth[k]));
                var alpha = Math.Sin(w0) / (2 * q);
                var a0 = 1 + alpha;
                fb0 = alpha / a0;
                fa1 = -2 * Math.Cos(w0) / a0;
                fa2 = (1 - alpha) / a0;
            }
            var last = Math.Min(first + ControlStep, sampleCount);
            for (var n = first; n < last; n++)
            {
                var frac = (n - first) / (double)ControlStep;
                var f0 = Lerp(tracks.F0[k], tracks.F0[k + 1], frac) * periodF0Factor;
                var voice = Lerp(tracks.Voicing[k], tracks.Voicing[k + 1], frac);
                var aspiration = Lerp(tracks.Aspiration[k], tracks.Aspiration[k + 1], frac);
                var frication = Lerp(tracks.Frication[k], tracks.Frication[k + 1], frac);

                phase += f0 / SampleRate;
                if (phase >= 1)
                {
                    phase -= 1;
                    periodF0Factor = 1 + random.Gaussian(0, style.JitterFraction);
                    periodAmp = Math.Max(0.2, 1 + random.Gaussian(0, style.ShimmerFraction));
                }
                var glottal = phase < rise
                    ? 0.5 * (1 - Math.Cos(Math.PI * phase / rise))
                    : phase < rise + fall ? Math.Cos(Math.PI * (phase - rise) / (2 * fall)) : 0;
                // Differentiated flow, scaled by the period so loudness does not grow with F0.
                var source = (glottal - previousGlottal) * (SampleRate / f0) * 0.1 * periodAmp;
                previousGlottal = glottal;
                tilted = (1 - tiltPole) * source + tiltPole * tilted;
                var noise = random.NextGaussian();
                var breath = style.Breathiness * voice * (glottal > 0 ? 1.0 : 0.3) + aspiration;
                var x = tilted * voice + 0.25 * breath * noise;
                for (var f = 0; f < 4; f++)
                {
                    var y = ca[f] * x + cb[f] * y1[f] + cc[f] * y2[f];
                    y2[f] = y1[f];
                    y1[f] = y;
                    x = y;
                }
                voicedOut[n] = (float)x;
                allSumSquares += x * x;
                if (voice > 0.8)
                {
                    vowelSumSquares += x * x;
                    vowelSamples++;
                }

                var fricNoise = random.NextGaussian();
                var fy = fb0 * fricNoise - fb0 * fx2 - fa1 * fy1 - fa2 * fy2;
                fx2 = fx1;
                fx1 = fricNoise;
                fy2 = fy1;
                fy1 = fy;
                fricOut[n] = (float)(fy * frication);
            }
        }

        // Calibrate so that vowel cores have unit RMS before the level envelope: loudness is then set by
        // the style (emotion, speaker, syllable stress) and not by filter or tilt side effects.
        var reference = vowelSamples > 0 ? Math.Sqrt(vowelSumSquares / vowelSamples) : Math.Sqrt(allSumSquares / Math.Max(1, sampleCount));
        var scale = reference > 1e-12 ? 1 / reference : 0;
        var noiseFloor = Math.Pow(10, (style.LevelDb - speaker.SignalToNoiseDb) / 20);
        var output = new float[sampleCount];
        for (var n = 0; n < sampleCount; n++)
        {
            var k = n / ControlStep;
            var gainDb = Lerp(tracks.LevelDb[k], tracks.LevelDb[Math.Min(k + 1, controlCount - 1)], (n % ControlStep) / (double)ControlStep);
            var gain = Math.Pow(10, gainDb / 20);
            var value = (voicedOut[n] * scale + 0.35 * fricOut[n]) * gain + noiseFloor * random.NextGaussian();
            output[n] = (float)SoftClip(value);
        }
        return output;
    }

    private static double SoftClip(double x)
    {
        const double knee = 0.8;
        var magnitude = Math.Abs(x);
        return magnitude <= knee ? x : Math.Sign(x) * (knee + (1 - knee) * Math.Tanh((magnitude - knee) / (1 - knee)));
    }

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;

    private sealed class Tracks(int count)
    {
        public double[] F0 { get; } = new double[count];
        public double[] Voicing { get; } = new double[count];
        public double[] Aspiration { get; } = new double[count];
        public double[] Frication { get; } = new double[count];
        public double[] NoiseCentre { get; } = new double[count];
        public double[] NoiseBandwidth { get; } = new double[count];
        public double[] LevelDb { get; } = new double[count];
        public double[][] Formants { get; } = [new double[count], new double[count], new double[count], new double[count]];
        public double[] Bandwidths { get; } = new double[4];
    }

    /// <summary>Millisecond control tracks: phone targets, smoothed (coarticulation) and the F0 contour.</summary>
    private static Tracks BuildTracks(UtterancePlan plan, VoiceStyle style, int count, DemoRandom random)
    {
        var tracks = new Tracks(count);
        var scale = style.FormantScale;
        tracks.Bandwidths[0] = 70 + 250 * style.Breathiness;
        tracks.Bandwidths[1] = 90;
        tracks.Bandwidths[2] = 140;
        tracks.Bandwidths[3] = 220;
        var schwa = Phonetics.Get("@");
        double f1 = schwa.F1 * scale, f2 = schwa.F2 * scale, f3 = schwa.F3 * scale;
        double voice = 0, asp = 0, fric = 0, level = 0, centre = 4000, bandwidth = 2000;
        var phoneIndex = 0;
        var accents = plan.Phones.Where(p => p.Phone.Kind == PhoneKind.Vowel && p.AccentSemitones != 0)
            .Select(p => (Centre: (p.Start + p.End) / 2, Height: p.AccentSemitones)).ToArray();
        var finalRise = plan.Phrases.Select(_ => random.Chance(style.FinalRiseProbability)).ToArray();
        var tremorPhase = random.Uniform(0, 2 * Math.PI);
        var tremorRate = random.Uniform(5, 7);
        var wander = 0.0;
        var formantCoefficient = Math.Exp(-1.0 / 18);
        var voiceCoefficient = Math.Exp(-1.0 / 6);
        var fricCoefficient = Math.Exp(-1.0 / 3);
        var levelCoefficient = Math.Exp(-1.0 / 25);

        for (var k = 0; k < count; k++)
        {
            var time = k / 1000.0;
            while (phoneIndex < plan.Phones.Count && plan.Phones[phoneIndex].End <= time)
            {
                phoneIndex++;
            }
            var current = phoneIndex < plan.Phones.Count && plan.Phones[phoneIndex].Start <= time ? plan.Phones[phoneIndex] : null;
            double tf1 = f1, tf2 = f2, tf3 = f3, tVoice = 0, tAsp = 0, tFric = 0;
            var tLevel = level;
            if (current is not null)
            {
                var phone = current.Phone;
                var progress = (time - current.Start) / (current.End - current.Start);
                var target = phone;
                if (phone.Kind == PhoneKind.Aspirate && phoneIndex + 1 < plan.Phones.Count)
                {
                    target = plan.Phones[phoneIndex + 1].Phone; // /h/ is voiceless breath through the next vowel's tract
                }
                tf1 = target.F1 * scale;
                tf2 = target.F2 * scale;
                tf3 = target.F3 * scale;
                if (phone.GlideTo is { } glideSymbol)
                {
                    var glide = Phonetics.Get(glideSymbol);
                    var g = Math.Clamp((progress - 0.3) / 0.7, 0, 1);
                    g = g * g * (3 - 2 * g);
                    tf1 += (glide.F1 * scale - tf1) * g;
                    tf2 += (glide.F2 * scale - tf2) * g;
                    tf3 += (glide.F3 * scale - tf3) * g;
                }
                tf1 *= style.FirstFormantShift;
                tf2 *= style.SecondFormantShift;
                tLevel = current.LevelDb;
                centre = phone.NoiseCentre > 0 ? phone.NoiseCentre : centre;
                bandwidth = phone.NoiseBandwidth > 0 ? phone.NoiseBandwidth : bandwidth;
                switch (phone.Kind)
                {
                    case PhoneKind.Vowel:
                        tVoice = 1;
                        break;
                    case PhoneKind.Fricative:
                        tFric = phone.NoiseGain;
                        tAsp = 0.05;
                        break;
                    case PhoneKind.VoicedFricative:
                        tVoice = 0.45;
                        tFric = phone.NoiseGain;
                        break;
                    case PhoneKind.Aspirate:
                        tAsp = phone.NoiseGain;
                        break;
                    case PhoneKind.Plosive:
                        if (progress > 0.62)
                        {
                            tFric = phone.NoiseGain * (1.4 - progress);
                            tAsp = 0.35;
                        }
                        break;
                    case PhoneKind.VoicedPlosive:
                        tVoice = progress > 0.7 ? 0.7 : 0.12;
                        tFric = progress > 0.7 ? phone.NoiseGain * 0.6 : 0;
                        break;
                    case PhoneKind.Nasal:
                        tVoice = 0.35;
                        break;
                    case PhoneKind.Approximant:
                        tVoice = 0.7;
                        break;
                }
                if (phone.Kind != PhoneKind.Vowel)
                {
                    tVoice = Math.Max(tVoice, style.Lenition);
                }
            }
            f1 = tf1 + (f1 - tf1) * formantCoefficient;
            f2 = tf2 + (f2 - tf2) * formantCoefficient;
            f3 = tf3 + (f3 - tf3) * formantCoefficient;
            voice = tVoice + (voice - tVoice) * voiceCoefficient;
            asp = tAsp + (asp - tAsp) * voiceCoefficient;
            fric = tFric + (fric - tFric) * fricCoefficient;
            level = tLevel + (level - tLevel) * levelCoefficient;
            tracks.Formants[0][k] = f1;
            tracks.Formants[1][k] = f2;
            tracks.Formants[2][k] = f3;
            tracks.Formants[3][k] = 3500 * scale;
            tracks.Voicing[k] = voice;
            tracks.Aspiration[k] = asp;
            tracks.Frication[k] = fric;
            tracks.NoiseCentre[k] = centre;
            tracks.NoiseBandwidth[k] = bandwidth;
            tracks.LevelDb[k] = style.LevelDb + level;

            // F0: phrase declination, pitch accents, phrase-final fall or rise, tremor, slow wander.
            var semitones = 0.0;
            for (var p = 0; p < plan.Phrases.Count; p++)
            {
                var (start, end) = plan.Phrases[p];
                if (time < start - 0.05 && p > 0)
                {
                    break;
                }
                var length = Math.Max(0.2, end - start);
                var progress = Math.Clamp((time - start) / length, 0, 1);
                semitones = style.DeclinationSemitones * (0.5 - progress);
                var tail = Math.Clamp((time - (end - 0.3)) / 0.3, 0, 1);
                semitones += finalRise[p] ? 3.0 * tail : -1.5 * tail;
            }
            foreach (var (centreTime, height) in accents)
            {
                var d = (time - centreTime) / 0.09;
                if (d is > -4 and < 4)
                {
                    semitones += height * Math.Exp(-d * d);
                }
            }
            wander = 0.995 * wander + random.Gaussian(0, 0.03);
            semitones += style.TremorSemitones * Math.Sin(2 * Math.PI * tremorRate * time + tremorPhase) + wander;
            tracks.F0[k] = style.F0Mean * Math.Pow(2, semitones / 12);
        }
        return tracks;
    }
}
