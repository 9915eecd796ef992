using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching;

/// <summary>One eligible copy of a play within a (window, track) group; its event id lives in the group's byte arena.</summary>
internal readonly record struct PlayCopy(int EventIdStart, int EventIdLength, long PlayedAtMs, GeoPoint Point)
{
    public Location Location => Point.Location;
}
