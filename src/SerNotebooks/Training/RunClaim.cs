using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SerNotebooks.Training;

/// <summary>Who holds a run folder's claim (the JSON in its claim.lock).</summary>
/// <param name="Host">Short host name of the holder.</param>
/// <param name="ProcessId">The holder's process id on <paramref name="Host"/>.</param>
/// <param name="Owner">What the holder is (the command line, a worker of which ablation).</param>
/// <param name="ClaimedUtc">When the claim was taken.</param>
/// <param name="HeartbeatUtc">When the holder last said it is alive (rewritten every <see cref="RunClaim.HeartbeatInterval"/>).</param>
public sealed record RunClaimHolder(string Host, int ProcessId, string Owner, DateTime ClaimedUtc, DateTime HeartbeatUtc)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Owner} (pid {ProcessId} on {Host}, since {ClaimedUtc:yyyy-MM-dd HH:mm:ss} UTC)");
}

/// <summary>Another process holds the run folder's claim: this one must not train it now.</summary>
public sealed class RunClaimedException(string runDirectory, RunClaimHolder? holder)
    : Exception($"{runDirectory}: claimed by {holder?.Describe() ?? "another process"}; it is trained there")
{
    public string RunDirectory { get; } = runDirectory;

    public RunClaimHolder? Holder { get; } = holder;
}

/// <summary>
/// The one owner of a run folder while it trains: <c>claim.lock</c> in the folder, held open with an exclusive
/// lock for as long as the run trains, and <c>claim.json</c> beside it naming the owner's host, process id and a
/// heartbeat (a separate file, because a locked file cannot be read by the processes it keeps out). Two commands, two
/// workers or two cluster jobs on one folder therefore never train one run at once (which corrupted checkpoints).
/// <para>Rules (TRAINING.md, "One owner per run"):</para>
/// <list type="bullet">
/// <item>The lock is the operating system's (an exclusive advisory lock, which .NET takes for
/// <see cref="FileShare.None"/>): the kernel drops it when the holder exits or is killed, so a dead process's claim on
/// this host is taken over at once, without any timeout.</item>
/// <item>A lock that can be taken while the file still names a live process of this host (file locking disabled
/// with DOTNET_SYSTEM_IO_DISABLEFILELOCKING) is respected.</item>
/// <item>A file naming another host is respected while its heartbeat is younger than <see cref="StaleAfter"/>
/// (network file systems do not all carry locks between hosts); after that the other host is taken to be gone
/// and the claim is taken over, the takeover named in the progress.</item>
/// <item>Release deletes claim.json, then closes the lock; claim.lock itself stays (deleting it would let a process
/// that opened the old file lock a name no longer in the folder).</item>
/// </list>
/// </summary>
public sealed class RunClaim : IDisposable
{
    public const string LockFileName = "claim.lock";

    public const string HolderFileName = "claim.json";

    /// <summary>How often the holder rewrites its heartbeat.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>How old another host's heartbeat must be before its claim is taken over.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private readonly FileStream _stream;
    private readonly string _holderPath;
    private readonly Timer _heartbeat;
    private readonly Lock _gate = new();
    private RunClaimHolder _holder;
    private bool _disposed;

    private RunClaim(string directory, FileStream stream, RunClaimHolder holder, RunClaimHolder? takenOver)
    {
        Directory = directory;
        _holderPath = Path.Combine(directory, HolderFileName);
        _stream = stream;
        _holder = holder;
        TakenOver = takenOver;
        Write(holder);
        _heartbeat = new Timer(_ => Beat(), null, HeartbeatInterval, HeartbeatInterval);
    }

    /// <summary>The claimed folder.</summary>
    public string Directory { get; }

    /// <summary>The stale claim this one replaced, or null when the folder was free.</summary>
    public RunClaimHolder? TakenOver { get; }

    /// <summary>The short name of this host, as claims record it.</summary>
    public static string HostName { get; } = Environment.MachineName.Split('.')[0];

    /// <summary>What this process calls itself in its claims (its command line, shortened).</summary>
    public static string DefaultOwner { get; } = DescribeProcess();

    /// <summary>Claims <paramref name="directory"/> (created if missing), or returns null and the current holder.</summary>
    public static RunClaim? TryAcquire(string directory, out RunClaimHolder? holder, string? owner = null)
    {
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        var path = Path.Combine(full, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Locked: a live process holds it.
            holder = ReadHolder(full);
            return null;
        }
        try
        {
            var previous = ReadHolder(full);
            if (previous is not null && IsLive(previous))
            {
                holder = previous;
                stream.Dispose();
                return null;
            }
            holder = null;
            var now = DateTime.UtcNow;
            return new RunClaim(full, stream, new RunClaimHolder(HostName, Environment.ProcessId, owner ?? DefaultOwner, now, now), previous);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The holder named in <paramref name="directory"/>'s claim.json, or null when none is named.</summary>
    public static RunClaimHolder? ReadHolder(string directory)
    {
        var path = Path.Combine(directory, HolderFileName);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Whether a claim file's holder is to be respected although its lock could be taken.</summary>
    private static bool IsLive(RunClaimHolder holder)
    {
        if (!string.Equals(holder.Host, HostName, StringComparison.OrdinalIgnoreCase))
        {
            return DateTime.UtcNow - holder.HeartbeatUtc < StaleAfter;
        }
        if (holder.ProcessId == Environment.ProcessId)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(holder.ProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static RunClaimHolder? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RunClaimHolder>(text, RunFolder.JsonOptions);
        }
        catch (JsonException)
        {
            // Written atomically, so only a hand-edited file gets here: nobody is named.
            return null;
        }
    }

    private void Beat()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _holder = _holder with { HeartbeatUtc = DateTime.UtcNow };
            try
            {
                Write(_holder);
            }
            catch (IOException)
            {
                // A full disk must not kill training; the heartbeat matters only to other hosts.
            }
        }
    }

    private void Write(RunClaimHolder holder) => RunFolder.WriteJson(_holderPath, holder);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _heartbeat.Dispose();
        try
        {
            File.Delete(_holderPath);
        }
        catch (IOException)
        {
            // The lock goes with the handle below, which is what other processes test first.
        }
        _stream.Dispose();
    }

    private static string DescribeProcess()
    {
        var arguments = Environment.GetCommandLineArgs();
        var text = string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
        if (arguments.Length > 0 && arguments[0].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            text = Path.GetFileNameWithoutExtension(arguments[0]) + text[arguments[0].Length..];
        }
        return text.Length <= 200 ? text : text[..197] + "...";
    }
}
