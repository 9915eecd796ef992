using ListeningTogether.Streaming.Sinks;

namespace ListeningTogether.Streaming.Tests.Health;

public sealed class WriteFailureTests
{
    public static TheoryData<Exception, bool, string> Failures => new()
    {
        { new IOException("No space left on device : '/x'", 28), false, "no space left on device" },
        { new IOException("Disk quota exceeded : '/x'", 122), false, "no space left on device" },
        { new IOException("Input/output error : '/x'", 5), false, "Input/output error : '/x'" },
        { new IOException("Read-only file system : '/x'", 30), true, "read-only file system" },
        { new UnauthorizedAccessException("Access to the path '/x' is denied."), true, "permission denied" },
        { new TimeoutException("The operation has timed out."), false, "The operation has timed out." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void GivenAFailedWrite_WhenJudged_ThenOnlyPermissionOrAReadOnlyDiskCannotPass(Exception failure, bool cannotPass, string cause)
    {
        Assert.Equal(cannotPass, WriteFailure.CannotPass(failure));
        Assert.Equal(cause, WriteFailure.Describe(failure));
    }
}
