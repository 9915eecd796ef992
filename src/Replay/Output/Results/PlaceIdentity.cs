using ListeningTogether.Abstractions;

namespace ListeningTogether.Replay.Output.Results;

/// <summary>
/// Places by what their text is made of: GeoNames id, exact coordinate bits, city and country. Hashing three numbers
/// is a few instructions, where a place's identity hash is a call into the runtime on every lookup; and the City
/// database's many records of one place at one spot share one entry.
/// </summary>
internal sealed class PlaceIdentity : IEqualityComparer<Location>
{
    public static readonly PlaceIdentity Instance = new();

    public bool Equals(Location? x, Location? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && x.GeonameId == y.GeonameId
            && BitConverter.DoubleToInt64Bits(x.Lat) == BitConverter.DoubleToInt64Bits(y.Lat)
            && BitConverter.DoubleToInt64Bits(x.Lon) == BitConverter.DoubleToInt64Bits(y.Lon)
            && string.Equals(x.City, y.City, StringComparison.Ordinal)
            && string.Equals(x.Country, y.Country, StringComparison.Ordinal));

    public int GetHashCode(Location obj) =>
        HashCode.Combine(obj.GeonameId, BitConverter.DoubleToInt64Bits(obj.Lat), BitConverter.DoubleToInt64Bits(obj.Lon));
}
