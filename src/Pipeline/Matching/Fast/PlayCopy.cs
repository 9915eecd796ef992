using ListeningTogether.Abstractions;

namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>One eligible copy of a play within a (window, track) group; its event id lives in the group's byte arena.</summary>
internal readonly record struct PlayCopy(int EventIdStart, int EventIdLength, long PlayedAtMs, GeoPoint Point)
{
    /// <summary>The place's GeoNames id, kept beside the copy: sorting by it would otherwise follow two references a comparison.</summary>
    public long GeonameId { get; } = Point.GeonameId;

    public Location Location => Point.Location;
}
