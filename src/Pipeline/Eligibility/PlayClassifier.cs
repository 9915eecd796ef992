using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Eligibility;

/// <summary>
/// Decode -> validate -> filter -> geolocate for one raw record: gives the record's single outcome (eligible or
/// the first failing reason in DESIGN.md's order) and, when eligible, its location. One per worker thread.
/// </summary>
public sealed class PlayClassifier
{
    private readonly PlayDecoder _decoder = new();
    private readonly AddressClassifier _addresses;

    public PlayClassifier(CityDatabase cities, AnonymousIpDatabase? anonymous, int maxAccuracyRadiusKm)
    {
        _addresses = new AddressClassifier(cities, anonymous, maxAccuracyRadiusKm);
    }

    /// <summary>Classifies one record. <paramref name="fields"/> is filled as far as decoding got; <paramref name="location"/> only when eligible.</summary>
    public IneligibleReason Classify(ReadOnlySpan<byte> record, out PlayFields fields, out Location? location)
    {
        IneligibleReason reason = Classify(record, out fields, out GeoPoint? point);
        location = point?.Location;
        return reason;
    }

    /// <summary>
    /// As <see cref="Classify(ReadOnlySpan{byte}, out PlayFields, out Location?)"/>, giving the shared point (whose
    /// <see cref="GeoPoint.PlaceId"/> finds it again through <see cref="CityDatabase.PlaceById"/>).
    /// </summary>
    public IneligibleReason Classify(ReadOnlySpan<byte> record, out PlayFields fields, out GeoPoint? point)
    {
        point = null;
        IneligibleReason reason = _decoder.Decode(record, out fields);
        if (reason != IneligibleReason.None)
        {
            return reason;
        }

        reason = _addresses.Classify(fields.Ip, out CityGeo? geo);
        if (reason != IneligibleReason.None)
        {
            return reason;
        }

        point = geo!.Point;
        return IneligibleReason.None;
    }
}
