using ListeningTogether.Host.Streaming.Health;

namespace ListeningTogether.Host.Streaming.Sinks;

/// <summary>
/// One part's streak of failed writes (DESIGN.md "Failure, exit codes and readiness"): while it lasts the part is
/// not ready and each failure is counted; a cause that cannot pass, or a streak longer than
/// <c>Sinks:MaxOutageSeconds</c>, gives the <see cref="SinkOutageException"/> that ends the process.
/// </summary>
internal sealed partial class OutageWatch(SinkTarget target, ComponentHealth health, TimeSpan maxOutage, TimeProvider clock, ILogger logger)
{
    private long? _failingSince;

    public bool IsFailing => _failingSince is not null;

    /// <summary>Records <paramref name="failures"/> failed writes; returns the failure that must end the process, or null to retry.</summary>
    public SinkOutageException? Failed(Exception failure, long failures = 1)
    {
        string cause = WriteFailure.Describe(failure);
        health.Failed(target.Component, $"{target}: {cause}", failures);
        LogFailureDetail(logger, target.ToString(), failure);
        if (_failingSince is null)
        {
            _failingSince = clock.GetTimestamp();
            LogFailing(logger, target.ToString(), cause, maxOutage.TotalSeconds);
        }

        if (WriteFailure.CannotPass(failure))
        {
            return new SinkOutageException(target, cause, failure);
        }

        return clock.GetElapsedTime(_failingSince.Value) >= maxOutage
            ? new SinkOutageException(target, $"{cause} for longer than Sinks:MaxOutageSeconds ({maxOutage.TotalSeconds:0} s)", failure)
            : null;
    }

    /// <summary>A write passed: the part is ready again.</summary>
    public void Succeeded()
    {
        if (_failingSince is long since)
        {
            _failingSince = null;
            health.Recovered(target.Component);
            LogRecovered(logger, target.ToString(), clock.GetElapsedTime(since).TotalSeconds);
        }
    }

    [LoggerMessage(441, LogLevel.Warning, "{Target}: {Cause}; retrying for up to {MaxOutageSeconds} s, reading nothing meanwhile")]
    private static partial void LogFailing(ILogger logger, string target, string cause, double maxOutageSeconds);

    [LoggerMessage(442, LogLevel.Information, "{Target}: writing again after {Seconds:0.0} s")]
    private static partial void LogRecovered(ILogger logger, string target, double seconds);

    [LoggerMessage(443, LogLevel.Debug, "{Target}: a write failed")]
    private static partial void LogFailureDetail(ILogger logger, string target, Exception exception);
}
