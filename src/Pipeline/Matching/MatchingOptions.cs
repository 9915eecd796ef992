namespace ListeningTogether.Pipeline.Matching;

/// <summary>The co-play rule's settings.</summary>
/// <param name="MinDistanceKm">Pairs must be at least this far apart.</param>
/// <param name="MaxLocations">Only the locations with the most plays are paired (ties by smaller GeoNames id).</param>
public sealed record MatchingOptions(double MinDistanceKm = 100, int MaxLocations = 256)
{
    public static MatchingOptions Default { get; } = new();
}
