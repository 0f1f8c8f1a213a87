using SerNotebooks.Pretext;
using SerNotebooks.Pretext.Tasks.AuEmotion;
using SerNotebooks.Pretext.Tasks.EnergyVariation;

namespace SerNotebooks.Tests.Pretext;

public class LabellerStateJsonTests
{
    [Fact]
    public void TheTaskComesFirstAndTheStyleIsTheOneStateFilesAlreadyHave()
    {
        var state = new EnergyVariationState { Threshold = 6.5, TrainingChunks = 3, MinSpeechFrames = 10, PerSpeakerNormalisation = false };

        // Byte for byte the format written before the shared base, so earlier runs' state files compare equal.
        Assert.Equal("""
            {
              "task": "energy-variation",
              "threshold": 6.5,
              "trainingChunks": 3,
              "minSpeechFrames": 10,
              "perSpeakerNormalisation": false,
              "speakers": {}
            }
            """.ReplaceLineEndings("\n"), LabellerStateJson.Write(state).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ReadingAnotherTasksStateIsAFormatError()
    {
        var json = LabellerStateJson.Write(new EnergyVariationState { Threshold = 1, TrainingChunks = 1, MinSpeechFrames = 10, PerSpeakerNormalisation = false });

        var error = Assert.Throws<FormatException>(() => LabellerStateJson.Read<AuEmotionState>(json, AuEmotionTask.TaskName));
        Assert.Contains("'energy-variation'", error.Message);
    }
}
