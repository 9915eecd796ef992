namespace ListeningTogether.Host.Web;

/// <summary>A co-play as viewers get it: places rounded to 0.1 degree, the track's title and artist when known. No user ids or addresses.</summary>
public sealed record CoPlayView(
    string WindowStart,
    string TrackId,
    string? Title,
    string? Artist,
    long Plays,
    long Locations,
    PlaceView A,
    PlaceView B,
    double DistanceKm)
{
    /// <summary>When the server pushed it (epoch ms), so clients can measure delivery latency.</summary>
    public long PushedAtMs { get; init; }
}

public sealed record PlaceView(string? City, string? Country, double Lat, double Lon);

/// <summary>Live counters for the page, about once a second.</summary>
public sealed record StatsView(
    double PlaysPerSecond,
    double EligiblePerSecond,
    double CoPlaysPerSecond,
    int Viewers,
    IReadOnlyList<TopTrackView> TopTracks);

public sealed record TopTrackView(string TrackId, string? Title, string? Artist, int CoPlays);
