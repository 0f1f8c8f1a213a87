using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace SerNotebooks.Tests.Notebooks.StockHost;

/// <summary>One event the host sent for a submitted cell (or a command the cell started).</summary>
public sealed record StockHostEvent(string EventType, JsonObject Event)
{
    /// <summary>The event's formatted values (stdout, display, return value) as (mime type, text).</summary>
    public IEnumerable<(string MimeType, string Value)> FormattedValues =>
        Event["formattedValues"] is JsonArray values
            ? values.OfType<JsonObject>().Select(v => (v["mimeType"]?.GetValue<string>() ?? "", v["value"]?.GetValue<string>() ?? ""))
            : [];
}

/// <summary>What happened to one submitted cell.</summary>
public sealed record StockHostCellResult(bool Succeeded, string Status, IReadOnlyList<StockHostEvent> Events, TimeSpan Elapsed)
{
    /// <summary>The failure message, error outputs and stderr of the cell, for an assertion message.</summary>
    public string Errors => string.Join('\n', Events
        .Where(e => e.EventType is "CommandFailed" or "ErrorProduced" or "StandardErrorValueProduced")
        .Select(e => $"{e.EventType}: {e.Event["message"]?.GetValue<string>() ?? string.Join(" | ", e.FormattedValues.Select(v => v.Value))}"));

    /// <summary>Whether the cell reported an error in any way: a failed command, an error output or stderr text.</summary>
    public bool HasErrorOutput => Events.Any(e => e.EventType is "ErrorProduced" or "StandardErrorValueProduced");
}

/// <summary>
/// VS Code's stock .NET Interactive host (the <c>Microsoft.dotnet-interactive</c> tool, restored as a local tool
/// from <c>.config/dotnet-tools.json</c>), driven over its stdio protocol as VS Code drives it: one host process per
/// notebook, started with <c>[vscode] stdio --working-dir &lt;notebook folder&gt;</c>, one <c>SubmitCode</c> command
/// per code cell, events back one JSON object per line until <c>CommandSucceeded</c>/<c>CommandFailed</c>.
/// </summary>
public sealed class StockNotebookHost : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<JsonObject?> events = Channel.CreateUnbounded<JsonObject?>();
    private readonly StringWriter log;
    private readonly Task readStdout;
    private readonly Task readStderr;

    private StockNotebookHost(Process process, StringWriter log)
    {
        this.process = process;
        this.log = log;
        readStdout = Task.Run(ReadEventsAsync);
        readStderr = Task.Run(ReadStderrAsync);
    }

    /// <summary>Everything the host wrote and was sent (for a failing test's message).</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Starts the host for notebooks in <paramref name="workingDirectory"/> and waits for <c>KernelReady</c>.</summary>
    public static async Task<StockNotebookHost> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan readyTimeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "tool", "run", StockHostTool.CommandName, "--", "[vscode]", "stdio", "--working-dir", workingDirectory })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the stock .NET Interactive host");
        var host = new StockNotebookHost(process, new StringWriter());
        using var timeout = new CancellationTokenSource(readyTimeout);
        try
        {
            while (await host.events.Reader.ReadAsync(timeout.Token) is { } message)
            {
                if (message["eventType"]?.GetValue<string>() == "KernelReady")
                {
                    return host;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
        }
        var reason = $"the stock host sent no KernelReady within {readyTimeout.TotalSeconds:0} s (or exited).\n{host.Log}";
        await host.DisposeAsync();
        throw new InvalidOperationException(reason);
    }

    /// <summary>Submits one cell to <paramref name="kernelName"/> and collects its events until it ends.</summary>
    public async Task<StockHostCellResult> SubmitAsync(string code, string kernelName, TimeSpan timeout)
    {
        var token = Guid.NewGuid().ToString();
        var command = new JsonObject
        {
            ["token"] = token,
            ["id"] = Guid.NewGuid().ToString("N"),
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernelName },
            ["routingSlip"] = new JsonArray(),
        };
        var line = command.ToJsonString();
        Append(">>> " + line);
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();

        var clock = Stopwatch.StartNew();
        var collected = new List<StockHostEvent>();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await events.Reader.ReadAsync(cancel.Token) is { } message)
            {
                var eventToken = message["command"]?["token"]?.GetValue<string>() ?? "";
                // Child commands carry the parent's token as a prefix; other events (kernel info) are not the cell's.
                if (eventToken != token && !eventToken.StartsWith(token + ".", StringComparison.Ordinal))
                {
                    continue;
                }
                var type = message["eventType"]?.GetValue<string>() ?? "";
                collected.Add(new StockHostEvent(type, message["event"] as JsonObject ?? []));
                if (eventToken == token && type is "CommandSucceeded" or "CommandFailed")
                {
                    return new StockHostCellResult(type == "CommandSucceeded", type, collected, clock.Elapsed);
                }
            }
            return new StockHostCellResult(false, "host exited", collected, clock.Elapsed);
        }
        catch (ChannelClosedException)
        {
            return new StockHostCellResult(false, "host exited", collected, clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return new StockHostCellResult(false, $"timed out after {timeout.TotalSeconds:0} s", collected, clock.Elapsed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(exited.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
        }
        await Task.WhenAll(readStdout, readStderr);
        process.Dispose();
    }

    private async Task ReadEventsAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            Append(line);
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                if (JsonNode.Parse(line) is JsonObject message)
                {
                    await events.Writer.WriteAsync(message);
                }
            }
            catch (JsonException)
            {
                // Not an event (the host may print plain text before it is ready): kept in the log only.
            }
        }
        events.Writer.TryWrite(null);
        events.Writer.TryComplete();
    }

    private async Task ReadStderrAsync()
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            Append("STDERR " + line);
        }
    }

    private void Append(string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
