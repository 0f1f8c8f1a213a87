using System.Diagnostics;
using System.Text;

namespace SerNotebooks.Tests.Ablation;

/// <summary>A real <c>sernb</c> process (the CLI built beside the tests), its output collected as it comes.</summary>
internal sealed class SernbProcess
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SernbProcess(Process process)
    {
        _process = process;
        ProcessId = process.Id;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Completion = Finish();
    }

    public int ProcessId { get; }

    public Task<(int ExitCode, string Output)> Completion { get; }

    public async Task WaitForOutput(Func<string, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Text()))
        {
            Assert.False(Completion.IsCompleted, "the command ended first:\n" + Text());
            Assert.True(clock.Elapsed < timeout, "timed out waiting; output so far:\n" + Text());
            await Task.Delay(100);
        }
    }

    private async Task<(int, string)> Finish()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return (-1, Text() + "\n(killed after 10 min)");
        }
        _process.WaitForExit();
        var exit = _process.ExitCode;
        _process.Dispose();
        return (exit, Text());
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Text()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Starts <c>sernb</c> with <paramref name="arguments"/> and the extra <paramref name="environment"/> variables.</summary>
    public static SernbProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (var argument in new[] { "exec", typeof(SerNotebooks.Cli.Commands.ReproduceCommand).Assembly.Location }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        return new SernbProcess(Process.Start(start)!);
    }
}
