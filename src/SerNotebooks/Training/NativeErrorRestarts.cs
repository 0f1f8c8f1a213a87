using System.Runtime.InteropServices;

namespace SerNotebooks.Training;

/// <summary>
/// Runs a piece of training work again after a native libtorch error, up to a fixed number of attempts.
/// TorchSharp hands implicit <c>Scalar</c> temporaries (inside its own optimisers too) to native code as raw
/// handles, so a garbage collection triggered by another thread can finalise one while libtorch still reads it
/// ("Unknown scalar type"): rare and not reproducible. Only safe for work that restarts from a checkpoint and
/// ends with the same numbers either way, as a training session does (TRAINING.md).
/// </summary>
public static class NativeErrorRestarts
{
    /// <summary>Attempts before a native error is passed on.</summary>
    public const int MaxAttempts = 3;

    /// <param name="attempt">The work; called again after a native error.</param>
    /// <param name="onRestart">Told the number of the attempt about to start and the first line of the error.</param>
    /// <param name="maxAttempts">Attempts in all; the error of the last one is passed on.</param>
    public static T Run<T>(Func<T> attempt, Action<int, string>? onRestart = null, int maxAttempts = MaxAttempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (var number = 1; ; number++)
        {
            try
            {
                return attempt();
            }
            catch (ExternalException e) when (number < maxAttempts)
            {
                onRestart?.Invoke(number + 1, e.Message.Split('\n', 2)[0]);
            }
        }
    }
}
