namespace ListeningTogether.Pipeline.Matching.Fast;

/// <summary>A distinct location of a group: its GeoNames id, the coordinates of its earliest play and its play count.</summary>
internal struct KeptLocation(GeoPoint point)
{
    public readonly GeoPoint Point = point;
    public readonly long GeonameId = point.GeonameId;
    public int Plays = 1;
}
