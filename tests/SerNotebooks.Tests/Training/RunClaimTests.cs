using System.Diagnostics;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

public sealed class RunClaimTests : IDisposable
{
    private readonly string _run = Path.Combine(Path.GetTempPath(), "sernb-claim-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        foreach (var folder in new[] { _run, _run + "-corpus" })
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    [Fact]
    public void ASecondClaimIsRefusedAndNamesTheHolderUntilTheFirstIsReleased()
    {
        using (var first = RunClaim.TryAcquire(_run, out var none, owner: "first"))
        {
            Assert.NotNull(first);
            Assert.Null(none);
            Assert.Null(first.TakenOver);
            // A second open of the lock file (another process, or another thread here) is kept out by the OS lock.
            Assert.Null(RunClaim.TryAcquire(_run, out var holder, owner: "second"));
            Assert.NotNull(holder);
            Assert.Equal("first", holder.Owner);
            Assert.Equal(Environment.ProcessId, holder.ProcessId);
            Assert.Equal(RunClaim.HostName, holder.Host);
        }
        Assert.False(File.Exists(Path.Combine(_run, RunClaim.HolderFileName)));
        using var again = RunClaim.TryAcquire(_run, out _, owner: "third");
        Assert.NotNull(again);
        Assert.Null(again.TakenOver);
    }

    [Fact]
    public void TheClaimOfAProcessOfThisHostThatHasExitedIsTakenOver()
    {
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        dead.WaitForExit();
        // What a killed holder leaves behind: its claim.json; the kernel has dropped its lock.
        WriteHolder(new RunClaimHolder(RunClaim.HostName, dead.Id, "killed", DateTime.UtcNow, DateTime.UtcNow));

        using var claim = RunClaim.TryAcquire(_run, out _);

        Assert.NotNull(claim);
        Assert.Equal("killed", claim.TakenOver?.Owner);
    }

    [Fact]
    public void AClaimFileNamingALiveProcessOfThisHostIsRespectedEvenWithoutTheLock()
    {
        using var live = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            WriteHolder(new RunClaimHolder(RunClaim.HostName, live.Id, "live", DateTime.UtcNow, DateTime.UtcNow));

            Assert.Null(RunClaim.TryAcquire(_run, out var holder));
            Assert.Equal("live", holder?.Owner);
        }
        finally
        {
            live.Kill();
        }
    }

    [Fact]
    public void AnotherHostsClaimIsRespectedWhileItsHeartbeatIsFreshAndTakenOverOnceStale()
    {
        WriteHolder(new RunClaimHolder("other-node", 4242, "cluster job", DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(-1)));
        Assert.Null(RunClaim.TryAcquire(_run, out var holder));
        Assert.Equal("other-node", holder?.Host);

        var stale = DateTime.UtcNow - RunClaim.StaleAfter - TimeSpan.FromMinutes(1);
        WriteHolder(new RunClaimHolder("other-node", 4242, "cluster job", stale, stale));
        using var claim = RunClaim.TryAcquire(_run, out _);
        Assert.NotNull(claim);
        Assert.Equal("other-node", claim.TakenOver?.Host);
    }

    [Fact]
    public void ARunClaimedByAnotherOwnerIsNotTrainedAndTheErrorNamesTheHolder()
    {
        var config = new TrainingConfig
        {
            Kind = RunKind.Finetune,
            Manifests = [TestCorpus()],
            Epochs = 1,
        };
        using var other = RunClaim.TryAcquire(_run, out _, owner: "the other command");
        Assert.NotNull(other);

        var error = Assert.Throws<RunClaimedException>(() => TrainingRun.Run(config, _run));

        Assert.Contains("the other command", error.Message);
        Assert.Contains(_run, error.Message);
        Assert.False(File.Exists(Path.Combine(_run, "metrics.csv")));
    }

    private string TestCorpus()
    {
        var corpus = _run + "-corpus";
        SerNotebooks.Demo.DemoCorpusGenerator.Generate(corpus, SerNotebooks.Demo.DemoCorpusSize.Tiny);
        return Path.Combine(corpus, "manifests", "crema-d");
    }

    private void WriteHolder(RunClaimHolder holder)
    {
        Directory.CreateDirectory(_run);
        RunFolder.WriteJson(Path.Combine(_run, RunClaim.HolderFileName), holder);
    }
}
