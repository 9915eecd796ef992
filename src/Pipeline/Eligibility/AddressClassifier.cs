using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>
/// The address steps of eligibility, in DESIGN.md's order: strict IP text, public unicast, Anonymous-IP listing,
/// a city with coordinates, accuracy radius. Shared by every record format. One per worker thread (its network
/// cache is not thread-safe).
/// </summary>
public sealed class AddressClassifier
{
    private readonly CityLookupCache _cities;
    private readonly AnonymousIpDatabase? _anonymous;
    private readonly int _maxAccuracyRadiusKm;

    public AddressClassifier(CityDatabase cities, AnonymousIpDatabase? anonymous, int maxAccuracyRadiusKm)
    {
        _cities = new CityLookupCache(cities);
        _anonymous = anonymous;
        _maxAccuracyRadiusKm = maxAccuracyRadiusKm;
    }

    /// <summary>Judges a present ip text; <paramref name="geo"/> is the City record (with its point and id) only when eligible.</summary>
    public IneligibleReason Classify(ReadOnlySpan<byte> ip, out CityGeo? geo)
    {
        geo = null;
        if (!StrictIpParser.TryParse(ip, out IpAddress128 address))
        {
            return IneligibleReason.IpInvalid;
        }

        if (!PublicAddressClassifier.IsPublic(address))
        {
            return IneligibleReason.IpNotPublic;
        }

        if (_anonymous is not null && _anonymous.IsListed(address))
        {
            return IneligibleReason.IpAnonymous;
        }

        _cities.Lookup(address, out CityGeo? found);
        if (found?.Location is null)
        {
            return IneligibleReason.GeoNoCity;
        }

        if (found.AccuracyRadiusKm > _maxAccuracyRadiusKm)
        {
            return IneligibleReason.GeoInaccurate;
        }

        geo = found;
        return IneligibleReason.None;
    }
}
