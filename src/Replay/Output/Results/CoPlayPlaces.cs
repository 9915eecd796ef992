using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// The <see cref="GeoPoint.PlaceId"/>s of a co-play's places A and B, kept beside the co-play so result writing finds
/// each place's text by index instead of hashing the place; -1 for a place without one (co-plays read back from files).
/// </summary>
internal readonly record struct CoPlayPlaces(int A, int B)
{
    public static CoPlayPlaces None { get; } = new(-1, -1);
}
