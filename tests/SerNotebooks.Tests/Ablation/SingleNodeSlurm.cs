using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SerNotebooks.Tests.Ablation;

/// <summary>
/// A real one-node Slurm cluster on this machine for the length of a test class: munge (reused when one already
/// answers), <c>slurmctld -D</c> and <c>slurmd -D</c> on a <c>slurm.conf</c> in a temporary folder, on ports of their
/// own so they cannot meet another cluster. Clients find it through <see cref="ConfigFile"/> (<c>SLURM_CONF</c>).
/// Missing packages fail the tests with the command that installs them: a silently skipped cluster test proves nothing.
/// Disposal cancels what is left in the queue and stops every daemon it started, by PID.
/// </summary>
public sealed class SingleNodeSlurm : IDisposable
{
    /// <summary>What .ci/run installs; named in the failure when something is missing.</summary>
    public const string Packages = "slurmctld slurmd slurm-client munge";

    private static readonly string[] Tools = ["munged", "munge", "unmunge", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sernb-slurm-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<Process> _daemons = [];
    private readonly Dictionary<string, string> _tools = [];
    private int? _mungedPid;
    private bool _disposed;

    public SingleNodeSlurm()
    {
        var missing = Tools.Where(t => (_tools[t] = Locate(t) ?? "") == "").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"single-node Slurm cannot start: {string.Join(", ", missing)} not found. Install the packages: apt-get install -y --no-install-recommends {Packages} (.ci/run does)");
        }
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"single-node Slurm needs root (slurmd starts jobs as their user); this test runs as {Environment.UserName}");
        }
        // Whatever fails from here on, the daemons already started must not outlive the test run.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            Directory.CreateDirectory(_folder);
            EnsureMunge();
            ConfigFile = WriteConfig();
            _daemons.Add(StartDaemon("slurmctld", "-D", "-c"));
            _daemons.Add(StartDaemon("slurmd", "-D"));
            WaitUntilIdle();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The cluster's slurm.conf: give it to every client and to <c>sernb</c> as <c>SLURM_CONF</c>.</summary>
    public string ConfigFile { get; } = "";

    /// <summary>Runs a Slurm client (squeue, scancel…) on this cluster; returns its exit code and standard output.</summary>
    public (int ExitCode, string Output) Client(string tool, params string[] arguments)
    {
        using var process = Process.Start(SlurmStartInfo(_tools.GetValueOrDefault(tool) ?? Locate(tool) ?? tool, arguments))!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>
    /// Waits until no job of <paramref name="jobIds"/> is pending or running. Fails at once when one fails (its
    /// dependents would never start), or after <paramref name="timeout"/>, with the queue and the controller's log.
    /// </summary>
    public async Task WaitForJobs(IReadOnlyList<string> jobIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // With -j squeue also lists jobs that have ended (for MinJobAge), so the states decide.
            var (_, queue) = Client("squeue", "-h", "-j", string.Join(',', jobIds), "-o", "%i %T %r");
            var states = queue.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var failed = states.Where(s => s.Contains("FAILED", StringComparison.Ordinal) || s.Contains("DependencyNeverSatisfied", StringComparison.Ordinal)
                || s.Contains("TIMEOUT", StringComparison.Ordinal) || s.Contains("CANCELLED", StringComparison.Ordinal)).ToList();
            Assert.True(failed.Count == 0, $"Slurm jobs failed:\n{string.Join('\n', failed)}\n{Tail("slurmctld.log")}");
            if (!states.Any(s => s.Contains(" PENDING", StringComparison.Ordinal) || s.Contains(" RUNNING", StringComparison.Ordinal)
                || s.Contains(" COMPLETING", StringComparison.Ordinal) || s.Contains(" CONFIGURING", StringComparison.Ordinal)))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Slurm jobs still queued after {timeout}:\n{queue}\n{Tail("slurmctld.log")}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (_daemons.Count > 0)
        {
            // Jobs left by a failed test: their steps would otherwise run on after slurmd stops.
            try
            {
                var (_, jobs) = Client("squeue", "-h", "-o", "%A");
                var ids = jobs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(j => j.All(char.IsAsciiDigit)).ToArray();
                if (ids.Length > 0)
                {
                    Client("scancel", ids);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The controller is gone already: nothing queued to cancel.
            }
        }
        // slurmd first: it reports to the controller while it stops.
        foreach (var daemon in Enumerable.Reverse(_daemons))
        {
            Stop(daemon.Id);
            daemon.Dispose();
        }
        _daemons.Clear();
        if (_mungedPid is { } munged)
        {
            Stop(munged);
            _mungedPid = null;
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    /// <summary>A working munge: the running one when it answers, else one started here (stopped on disposal).</summary>
    private void EnsureMunge()
    {
        if (MungeAnswers())
        {
            return;
        }
        // No init system makes munged's socket folder in a container.
        Run("install", "-d", "-o", "munge", "-g", "munge", "-m", "755", "/run/munge");
        // Through a file, not a pipe: the daemon keeps its inherited descriptors, and reading a pipe to its end would wait for it to exit.
        var log = Path.Combine(_folder, "munged-start.log");
        var (exit, _) = Run("sh", "-c", $"runuser -u munge -- {_tools["munged"]} >{log} 2>&1");
        Assert.True(exit == 0, $"munged did not start (exit {exit}): {File.ReadAllText(log)}");
        var pidFile = "/run/munge/munged.pid";
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            _mungedPid = pid;
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!MungeAnswers())
        {
            Assert.True(DateTime.UtcNow < deadline, "munged started but `munge -n | unmunge` fails: is /etc/munge/munge.key there (the munge package's postinst makes it)?");
            Thread.Sleep(200);
        }
    }

    private static bool MungeAnswers() => Run("sh", "-c", "munge -n | unmunge").ExitCode == 0;

    /// <summary>The ENVIRONMENT.md recipe: no cgroups, no accounting, everything under the temporary folder.</summary>
    private string WriteConfig()
    {
        var host = Run("hostname", "-s").Output.Trim();
        var path = Path.Combine(_folder, "slurm.conf");
        var lines = new[]
        {
            "ClusterName=sernbtest",
            $"SlurmctldHost={host}",
            $"SlurmctldPort={FreePort()}",
            $"SlurmdPort={FreePort()}",
            "SlurmUser=root",
            "AuthType=auth/munge",
            $"StateSaveLocation={Path.Combine(_folder, "state")}",
            $"SlurmdSpoolDir={Path.Combine(_folder, "spool")}",
            $"SlurmctldPidFile={Path.Combine(_folder, "slurmctld.pid")}",
            $"SlurmdPidFile={Path.Combine(_folder, "slurmd.pid")}",
            $"SlurmctldLogFile={Path.Combine(_folder, "slurmctld.log")}",
            $"SlurmdLogFile={Path.Combine(_folder, "slurmd.log")}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "MpiDefault=none",
            "MailProg=/bin/true",
            "ReturnToService=2",
            "SchedulerParameters=batch_sched_delay=0",
            $"NodeName={host} CPUs={Environment.ProcessorCount} RealMemory=1000 State=UNKNOWN",
            "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
        };
        Directory.CreateDirectory(Path.Combine(_folder, "state"));
        Directory.CreateDirectory(Path.Combine(_folder, "spool"));
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    /// <summary>A Slurm program with its output captured, pointed at this cluster's slurm.conf.</summary>
    private ProcessStartInfo SlurmStartInfo(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["SLURM_CONF"] = ConfigFile;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    private Process StartDaemon(string name, params string[] arguments)
    {
        var process = Process.Start(SlurmStartInfo(_tools[name], arguments))!;
        // Drained so a chatty daemon never blocks on a full pipe; its log file has the same.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void WaitUntilIdle()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var state = "";
        while (DateTime.UtcNow < deadline)
        {
            foreach (var daemon in _daemons)
            {
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"{daemon.StartInfo.FileName} exited ({daemon.ExitCode}):\n{Tail("slurmctld.log")}\n{Tail("slurmd.log")}");
                }
            }
            state = Client("sinfo", "-h", "-o", "%T").Output.Trim();
            if (state == "idle")
            {
                return;
            }
            Thread.Sleep(250);
        }
        throw new InvalidOperationException($"the Slurm node is not idle after {StartTimeout} (sinfo: '{state}'):\n{Tail("slurmctld.log")}\n{Tail("slurmd.log")}");
    }

    private string Tail(string log)
    {
        var path = Path.Combine(_folder, log);
        return File.Exists(path) ? $"--- {log}\n" + string.Join('\n', File.ReadLines(path).TakeLast(30)) : $"--- {log}: none";
    }

    /// <summary>SIGTERM, then SIGKILL if it is still there after 10 s.</summary>
    private static void Stop(int pid)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return;
        }
        using (process)
        {
            Run("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture));
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Locate(string tool) =>
        new[] { Environment.GetEnvironmentVariable("PATH") ?? "", "/usr/sbin", "/sbin", "/usr/bin" }
            .SelectMany(p => p.Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists);

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder(process.StandardOutput.ReadToEnd());
        process.WaitForExit();
        return (process.ExitCode, output.Append(error.Result).ToString());
    }
}
