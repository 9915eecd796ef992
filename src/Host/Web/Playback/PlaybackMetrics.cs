using System.Diagnostics.Metrics;
using ListeningTogether.Host.Composition;

namespace ListeningTogether.Host.Web.Playback;

/// <summary>Playback's instruments on the <c>ListeningTogether</c> meter: requests by status, and minutes served from the cache or read.</summary>
internal sealed class PlaybackMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _minutes;

    public PlaybackMetrics(IMeterFactory meters)
    {
        Meter meter = meters.Create(PipelineMetrics.MeterName);
        _requests = meter.CreateCounter<long>("lt.playback.requests", "{request}", "Playback API requests, by status code");
        _minutes = meter.CreateCounter<long>("lt.playback.minutes", "{minute}", "Kept minutes a playback request needed, by cache hit or read");
    }

    public void Request(int status) => _requests.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Minutes(int hits, int reads)
    {
        _minutes.Add(hits, new KeyValuePair<string, object?>("cache", "hit"));
        _minutes.Add(reads, new KeyValuePair<string, object?>("cache", "read"));
    }
}
