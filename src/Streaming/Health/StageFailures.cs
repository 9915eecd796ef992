namespace ListeningTogether.Streaming.Health;

/// <summary>
/// The first failure that ended a stage or the archive. Recording it stops the process, whose verb then exits
/// with code 1 and this failure's line (DESIGN.md "Failure, exit codes and readiness"). Without a host (a stage
/// run on its own) the failure is only recorded.
/// </summary>
/// <param name="stopProcess">Stops the process (the host's application lifetime); null for a stage run on its own.</param>
public sealed class StageFailures(Action? stopProcess)
{
    private StageFailure? _first;

    public StageFailure? First => Volatile.Read(ref _first);

    public void Fail(string description, Exception failure)
    {
        Interlocked.CompareExchange(ref _first, new StageFailure(description, failure), null);
        stopProcess?.Invoke();
    }
}

/// <summary>What ended the process: one line naming the part and the cause, and the failure behind it.</summary>
public sealed record StageFailure(string Description, Exception Failure);
