using StackExchange.Redis;

namespace ListeningTogether.Transports.SignalR;

/// <summary>Whether the Redis backplane is connected, for <c>/readyz</c>: every push travels through Redis, so it reaches viewers only while it is.</summary>
public sealed class BackplaneStatus
{
    private volatile string? _problem = "Push:Redis:ConnectionString: not connected yet";

    /// <summary>Null while the backplane is connected; else why not.</summary>
    public string? Problem => _problem;

    /// <summary>Follows <paramref name="connection"/>'s failures and restorations from now on.</summary>
    public void Watch(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.ConnectionFailed += (_, e) => _problem = $"Push:Redis:ConnectionString: {e.FailureType} ({e.EndPoint})";
        connection.ConnectionRestored += (_, _) => _problem = connection.IsConnected ? null : _problem;
        _problem = connection.IsConnected ? null : "Push:Redis:ConnectionString: not connected";
    }
}
