namespace ListeningTogether.Transports.PubSub;

/// <summary>
/// Whether a publisher's sends reach the service: a lane whose batch failed is failing until a send of it passes.
/// So the publisher counts as reaching the service again only once every batch held up by an outage went out.
/// </summary>
internal sealed class PublishHealth
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, string> _failing = [];
    private volatile int _failingCount;

    /// <summary>Null while no lane is failing; else the problem of one that is.</summary>
    public string? Problem
    {
        get
        {
            if (_failingCount == 0)
            {
                return null;
            }

            lock (_gate)
            {
                return _failing.Count == 0 ? null : _failing.Values.First();
            }
        }
    }

    public void Failed(int lane, string problem)
    {
        lock (_gate)
        {
            _failing[lane] = problem;
            _failingCount = _failing.Count;
        }
    }

    public void Succeeded(int lane)
    {
        if (_failingCount == 0)
        {
            return;
        }

        lock (_gate)
        {
            _failing.Remove(lane);
            _failingCount = _failing.Count;
        }
    }
}
