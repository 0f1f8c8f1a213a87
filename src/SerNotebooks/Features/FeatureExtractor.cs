using SerNotebooks.Audio;

namespace SerNotebooks.Features;

/// <summary>
/// Audio file → <see cref="FeatureSet"/> (log-mel, frame energy, speech mask, optional F0). With a
/// <see cref="FeatureCache"/>, a file whose content and settings were seen before is read from the cache;
/// otherwise it is computed and then cached. Instances are safe to share between threads.
/// </summary>
public sealed class FeatureExtractor
{
    private readonly LogMelSpectrogram _logMel;

    public FeatureExtractor(FeatureExtractorConfig? config = null, FeatureCache? cache = null)
    {
        Config = config ?? new FeatureExtractorConfig();
        Config.LogMel.Validate();
        Config.Pitch?.Validate(Config.LogMel.SampleRate);
        _logMel = new LogMelSpectrogram(Config.LogMel);
        Cache = cache;
    }

    public FeatureExtractorConfig Config { get; }

    public FeatureCache? Cache { get; }

    /// <summary>Features of a WAV file, from the cache when it holds a valid entry for this content and config.</summary>
    /// <exception cref="AudioFormatException">The file cannot be read as audio.</exception>
    public FeatureSet Extract(string wavPath)
    {
        ArgumentNullException.ThrowIfNull(wavPath);
        if (Cache is null)
        {
            return Compute(LoadAudio(wavPath));
        }
        if (!File.Exists(wavPath))
        {
            throw new AudioFormatException(wavPath, "file does not exist");
        }
        var contentHash = Cache.ContentHash(wavPath);
        if (Cache.TryRead(contentHash, Config, out var cached))
        {
            return cached;
        }
        var features = Compute(LoadAudio(wavPath));
        Cache.Write(contentHash, Config, features);
        return features;
    }

    private AudioSignal LoadAudio(string wavPath)
    {
        var signal = WavAudioLoader.Load(wavPath, Config.LogMel.SampleRate);
        if (signal.Samples.Length == 0)
        {
            throw new AudioFormatException(wavPath, "contains no audio samples");
        }
        return signal;
    }

    /// <summary>Features of audio already in memory (never cached: there is no file content to key on).</summary>
    public FeatureSet Compute(AudioSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var logMel = _logMel.Compute(signal);
        var energy = FrameEnergy.ComputeDb(signal.Samples, Config.LogMel);
        var speech = Config.SpeechMask.Compute(energy);
        var pitch = Config.Pitch is null ? null : PitchTracker.Track(signal.Samples, Config.LogMel, Config.Pitch, speech);
        return new FeatureSet(logMel, energy, speech, pitch, signal.Samples.Length, signal.SampleRate);
    }
}
