using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>
/// Decode -> validate -> filter -> geolocate for one raw record: gives the record's single outcome (eligible or
/// the first failing reason in DESIGN.md's order) and, when eligible, its location. One per worker thread.
/// </summary>
public sealed class PlayClassifier
{
    private readonly PlayDecoder _decoder = new();
    private readonly CityDatabase _cities;
    private readonly AnonymousIpDatabase? _anonymous;
    private readonly int _maxAccuracyRadiusKm;

    public PlayClassifier(CityDatabase cities, AnonymousIpDatabase? anonymous, int maxAccuracyRadiusKm)
    {
        _cities = cities;
        _anonymous = anonymous;
        _maxAccuracyRadiusKm = maxAccuracyRadiusKm;
    }

    /// <summary>Classifies one record. <paramref name="fields"/> is filled as far as decoding got; <paramref name="location"/> only when eligible.</summary>
    public IneligibleReason Classify(ReadOnlySpan<byte> record, out PlayFields fields, out Location? location) =>
        Classify(record, out fields, out location, out _);

    /// <summary>As <see cref="Classify(ReadOnlySpan{byte}, out PlayFields, out Location?)"/>, also giving the City database record the location came from.</summary>
    public IneligibleReason Classify(ReadOnlySpan<byte> record, out PlayFields fields, out Location? location, out int cityRecord)
    {
        location = null;
        cityRecord = -1;
        IneligibleReason reason = _decoder.Decode(record, out fields);
        if (reason != IneligibleReason.None)
        {
            return reason;
        }

        if (!StrictIpParser.TryParse(fields.Ip, out IpAddress128 address))
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

        cityRecord = _cities.FindRecord(address);
        CityGeo? geo = cityRecord < 0 ? null : _cities.Resolve(cityRecord, address);
        if (geo?.Location is null)
        {
            return IneligibleReason.GeoNoCity;
        }

        if (geo.AccuracyRadiusKm > _maxAccuracyRadiusKm)
        {
            return IneligibleReason.GeoInaccurate;
        }

        location = geo.Location;
        return IneligibleReason.None;
    }
}
