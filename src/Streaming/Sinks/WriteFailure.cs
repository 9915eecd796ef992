namespace ListeningTogether.Streaming.Sinks;

/// <summary>Which failed writes may pass if retried, and how to say what went wrong in a few words.</summary>
public static class WriteFailure
{
    // errno values as .NET on Linux reports them in IOException.HResult.
    private const int NoSpace = 28;
    private const int ReadOnlyFileSystem = 30;
    private const int QuotaExceeded = 122;

    /// <summary>
    /// True for a failure retrying cannot fix: permission denied, a read-only file system, or a transport's failure
    /// that <paramref name="transportCannotPass"/> says cannot pass (a missing topic or subscription without
    /// <c>CreateMissing</c>, a refused request). No space, other I/O errors and an unavailable transport may pass.
    /// </summary>
    public static bool CannotPass(Exception failure, Func<Exception, bool>? transportCannotPass = null) => failure switch
    {
        UnauthorizedAccessException => true,
        IOException io => io.HResult == ReadOnlyFileSystem,
        _ => transportCannotPass?.Invoke(failure) ?? false,
    };

    /// <summary>The cause in a few words, without a path (the target names that): "no space left on device".</summary>
    public static string Describe(Exception failure) => failure switch
    {
        IOException { HResult: NoSpace or QuotaExceeded } => "no space left on device",
        IOException { HResult: ReadOnlyFileSystem } => "read-only file system",
        UnauthorizedAccessException => "permission denied",
        _ => failure.Message,
    };
}
