using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Matching;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Streaming;

/// <summary>Raw play events: decoded, filtered and geolocated by the eligibility rules.</summary>
public sealed class RawPlayReader(CityDatabase cities, AnonymousIpDatabase? anonymousIps, IOptions<PipelineOptions> options) : IPlayReader
{
    private readonly PlayClassifier _classifier = new(cities, anonymousIps, options.Value.MaxAccuracyRadiusKm);

    public IneligibleReason Read(ReadOnlySpan<byte> payload, out PlayFields fields, out GeoPoint? point) =>
        _classifier.Classify(payload, out fields, out point);
}
