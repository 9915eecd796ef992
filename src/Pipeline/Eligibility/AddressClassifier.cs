using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>
/// The address steps of eligibility, in DESIGN.md's order: strict IP text, public unicast, Anonymous-IP listing,
/// a city with coordinates, accuracy radius. Shared by every record format. One per worker thread (its network
/// cache is not thread-safe).
/// </summary>
internal sealed class AddressClassifier
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
        IneligibleReason reason = CheckAddress(ip, out IpAddress128 address);
        if (reason != IneligibleReason.None)
        {
            return reason;
        }

        _cities.Lookup(address, out CityGeo? found);
        reason = JudgeCity(found);
        geo = reason == IneligibleReason.None ? found : null;
        return reason;
    }

    /// <summary>
    /// The steps before the City database: strict IP text, public unicast, Anonymous-IP listing. None means the
    /// address goes on to <see cref="JudgeCity"/> with its City record (for batches that look many up at once).
    /// </summary>
    public IneligibleReason CheckAddress(ReadOnlySpan<byte> ip, out IpAddress128 address)
    {
        if (!StrictIpParser.TryParse(ip, out address))
        {
            return IneligibleReason.IpInvalid;
        }

        if (!PublicAddressClassifier.IsPublic(address))
        {
            return IneligibleReason.IpNotPublic;
        }

        return _anonymous is not null && _anonymous.IsListed(address) ? IneligibleReason.IpAnonymous : IneligibleReason.None;
    }

    /// <summary>The City steps: a city with coordinates, then the accuracy radius.</summary>
    public IneligibleReason JudgeCity(CityGeo? found)
    {
        if (found?.Location is null)
        {
            return IneligibleReason.GeoNoCity;
        }

        return found.AccuracyRadiusKm > _maxAccuracyRadiusKm ? IneligibleReason.GeoInaccurate : IneligibleReason.None;
    }
}
