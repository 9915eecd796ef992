using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Decoding;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Matching;
using Microsoft.Extensions.Options;

namespace ListeningTogether.Host.Streaming;

/// <summary>Raw play events: decoded, filtered and geolocated by the eligibility rules.</summary>
internal sealed class RawPlayReader(GeoDatabases geo, IOptions<PipelineOptions> options) : IPlayReader
{
    private readonly PlayClassifier _classifier = new(geo.Cities, geo.AnonymousIps, options.Value.MaxAccuracyRadiusKm);

    public IneligibleReason Read(ReadOnlySpan<byte> payload, out PlayFields fields, out GeoPoint? point) =>
        _classifier.Classify(payload, out fields, out point);
}
