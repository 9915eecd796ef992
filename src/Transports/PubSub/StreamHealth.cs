namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Whether a subscriber's StreamingPull streams reach the service: a stream that failed is unhealthy until it
/// receives again or has stayed open for <see cref="OpenLongEnough"/> (an idle subscription sends nothing).
/// </summary>
internal sealed class StreamHealth(TimeProvider clock)
{
    /// <summary>A stream that stayed open this long since its last failure counts as reaching the service.</summary>
    public static readonly TimeSpan OpenLongEnough = TimeSpan.FromSeconds(3);

    /// <summary>Not a stream: the creation of the subscription before the streams open (with <c>CreateMissing</c>).</summary>
    public const int Preparation = -1;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, string> _failing = [];
    private readonly Dictionary<int, long> _openedAt = [];

    public string? Problem
    {
        get
        {
            lock (_gate)
            {
                long now = clock.GetTimestamp();
                foreach (int stream in _openedAt.Where(o => clock.GetElapsedTime(o.Value, now) >= OpenLongEnough).Select(o => o.Key).ToList())
                {
                    _failing.Remove(stream);
                    _openedAt.Remove(stream);
                }

                return _failing.Count == 0 ? null : _failing.Values.First();
            }
        }
    }

    public void Failed(int stream, string problem)
    {
        lock (_gate)
        {
            _failing[stream] = problem;
            _openedAt.Remove(stream);
        }
    }

    /// <summary>The stream was opened again after a failure; it counts as healthy once it stays open.</summary>
    public void Opened(int stream)
    {
        lock (_gate)
        {
            if (_failing.ContainsKey(stream))
            {
                _openedAt[stream] = clock.GetTimestamp();
            }
        }
    }

    public void Received(int stream)
    {
        lock (_gate)
        {
            _failing.Remove(stream);
            _openedAt.Remove(stream);
        }
    }
}
