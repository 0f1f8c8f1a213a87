using SerNotebooks.Data.CremaD;
using SerNotebooks.Data.Splits;

namespace SerNotebooks.Tests.Data;

public class ActorSplitTests
{
    private static IReadOnlyList<CremaDActor> RealDemographics()
    {
        var path = TestWav.CremaDMetadata(CremaDCorpus.DemographicsFileName);
        Assert.True(File.Exists(path), $"real CREMA-D metadata expected at {path} (shipped in data-manifests/crema-d/metadata)");
        return CremaDCorpus.ReadDemographics(path);
    }

    [Fact]
    public void CommittedTrainDevTestTableIsRegeneratedByteForByte()
    {
        var committed = File.ReadAllBytes(TestWav.RepositoryFile("data-manifests/crema-d/splits/" + CremaDCorpus.TrainDevTestTableName));
        var regenerated = new System.Text.UTF8Encoding(false).GetBytes(ActorSplitTable.Format(CremaDCorpus.GenerateTrainDevTest(RealDemographics())));
        Assert.Equal(committed, regenerated);
    }

    [Fact]
    public void CommittedFiveSessionTableIsRegeneratedByteForByte()
    {
        var committed = File.ReadAllBytes(TestWav.RepositoryFile("data-manifests/crema-d/splits/" + CremaDCorpus.FiveSessionsTableName));
        var regenerated = new System.Text.UTF8Encoding(false).GetBytes(ActorSplitTable.Format(CremaDCorpus.GenerateFiveSessions(RealDemographics())));
        Assert.Equal(committed, regenerated);
    }

    [Fact]
    public void CommittedTrainDevTestCoversAll91ActorsSexBalanced()
    {
        var demographics = RealDemographics().ToDictionary(a => a.ActorId.ToString(), a => a.Sex);
        var table = CremaDCorpus.CommittedTrainDevTest;

        Assert.Equal(91, table.Count);
        Assert.Equal(demographics.Keys.Order(), table.Select(a => a.Actor).Order());
        Assert.All(table, a => Assert.Equal(demographics[a.Actor], a.Sex));
        Assert.Equal(91, table.Select(a => a.Actor).Distinct().Count());
        var counts = table.GroupBy(a => (a.Split, a.Sex)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(7, counts[("dev", "female")]);
        Assert.Equal(7, counts[("dev", "male")]);
        Assert.Equal(7, counts[("test", "female")]);
        Assert.Equal(7, counts[("test", "male")]);
        Assert.Equal(29, counts[("train", "female")]);
        Assert.Equal(34, counts[("train", "male")]);
    }

    [Fact]
    public void CommittedSessionsFollowTheActorIdRanges()
    {
        var table = CremaDCorpus.CommittedFiveSessions;
        Assert.Equal(91, table.Select(a => a.Actor).Distinct().Count());
        var sizes = table.GroupBy(a => a.Split).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.Equal([18, 18, 18, 18, 19], sizes);
        Assert.All(table, a => Assert.Equal(CremaDCorpus.SessionOf(int.Parse(a.Actor)), a.Split));
        Assert.Equal("session1", CremaDCorpus.SessionOf(1018));
        Assert.Equal("session2", CremaDCorpus.SessionOf(1019));
        Assert.Equal("session5", CremaDCorpus.SessionOf(1091));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(6, 3)]
    [InlineData(10, 5)]
    [InlineData(13, 9)]
    [InlineData(24, 12)]
    [InlineData(40, 0)]
    [InlineData(91, 48)]
    public void GeneratedSplitsNeverShareAnActorAndBalanceSex(int total, int men)
    {
        var actors = Enumerable.Range(0, total).Select(i => new ActorInfo($"s{i:000}", i < men ? "male" : "female")).ToList();
        foreach (var seed in new[] { 1, 2, 3, 2022 })
        {
            var splits = ActorSplitGenerator.TrainDevTest(actors, seed);

            Assert.Equal(actors.Select(a => a.Actor).Order(), splits.Select(a => a.Actor).Order());
            Assert.Equal(total, splits.Select(a => a.Actor).Distinct().Count());
            var heldOut = Math.Max(1, (int)Math.Round(total * 14.0 / 91, MidpointRounding.AwayFromZero));
            foreach (var split in new[] { "dev", "test" })
            {
                var members = splits.Where(a => a.Split == split).ToList();
                Assert.Equal(heldOut, members.Count);
                if (men >= heldOut && total - men >= heldOut)
                {
                    Assert.InRange(members.Count(a => a.Sex == "male") - members.Count(a => a.Sex == "female"), -1, 1);
                }
            }
            Assert.Equal(total - 2 * heldOut, splits.Count(a => a.Split == "train"));
        }
    }

    [Fact]
    public void SameSeedSameSplitsOtherSeedOtherSplits()
    {
        var actors = Enumerable.Range(1001, 30).Select(i => new ActorInfo(i.ToString(), i % 3 == 0 ? "female" : "male")).ToList();
        var a = ActorSplitGenerator.TrainDevTest(actors, 7);
        var b = ActorSplitGenerator.TrainDevTest(actors.AsEnumerable().Reverse(), 7);
        var c = ActorSplitGenerator.TrainDevTest(actors, 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(5, 91)]
    [InlineData(5, 12)]
    [InlineData(3, 7)]
    public void KFoldPutsEachActorInOneFoldWithEvenSizes(int k, int total)
    {
        var actors = Enumerable.Range(0, total).Select(i => new ActorInfo($"a{i}", i % 2 == 0 ? "male" : "female")).ToList();
        var folds = ActorSplitGenerator.KFold(actors, k, 11);
        Assert.Equal(total, folds.Select(f => f.Actor).Distinct().Count());
        var sizes = folds.GroupBy(f => f.Split).Select(g => g.Count()).ToList();
        Assert.Equal(k, sizes.Count);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void TablesWithARepeatedActorAreRejected()
    {
        var error = Assert.Throws<SerNotebooks.Data.ManifestFormatException>(() =>
            ActorSplitTable.Parse("actor,sex,split\n1001,male,train\n1002,female,dev\n1001,male,test\n", "t.csv"));
        Assert.Contains("actor 1001 is assigned twice (train and test)", error.Message);
        Assert.Throws<ArgumentException>(() => ActorSplitGenerator.TrainDevTest([new("a", "male"), new("a", "male"), new("b", "female")], 1));
    }
}
