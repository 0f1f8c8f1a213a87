using System.Runtime.InteropServices;
using SerNotebooks.Training;

namespace SerNotebooks.Tests.Training;

public class NativeErrorRestartsTests
{
    // TorchSharp surfaces a libtorch error as ExternalException with libtorch's multi-line message (the first line
    // is the reason, then the C++ stack), as the "Unknown scalar type" seen in a notebook kernel was. Some libtorch
    // ops (matmul) terminate the process instead of throwing, so the error is raised here, not provoked.
    private const string LibtorchMessage =
        "Unknown scalar type.\nException raised from type at /pytorch/c10/core/Scalar.h:339 (most recent call first):\nframe #0: c10::Error::Error";

    [Fact]
    public void APersistentNativeErrorIsRetriedThenPassedOn()
    {
        var restarts = new List<(int Attempt, string Reason)>();
        var calls = 0;

        var error = Assert.ThrowsAny<ExternalException>(() => NativeErrorRestarts.Run<int>(() =>
        {
            calls++;
            throw new ExternalException(LibtorchMessage);
        }, (attempt, reason) => restarts.Add((attempt, reason))));

        Assert.Equal(NativeErrorRestarts.MaxAttempts, calls);
        Assert.Equal([2, 3], restarts.Select(r => r.Attempt));
        Assert.All(restarts, r => Assert.Equal("Unknown scalar type.", r.Reason));
        Assert.Equal(LibtorchMessage, error.Message);
    }

    [Fact]
    public void WorkThatSucceedsAfterANativeErrorReturnsItsResult()
    {
        var calls = 0;
        var restarts = 0;

        var result = NativeErrorRestarts.Run(() =>
        {
            if (++calls == 1)
            {
                throw new ExternalException(LibtorchMessage);
            }
            return 42;
        }, (_, _) => restarts++);

        Assert.Equal(42, result);
        Assert.Equal(2, calls);
        Assert.Equal(1, restarts);
    }

    [Fact]
    public void OtherErrorsAreNotRetried()
    {
        var calls = 0;

        Assert.Throws<InvalidOperationException>(() => NativeErrorRestarts.Run<int>(() =>
        {
            calls++;
            throw new InvalidOperationException("a bug, not a native race");
        }));

        Assert.Equal(1, calls);
    }
}
