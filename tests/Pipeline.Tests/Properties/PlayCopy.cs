using System.Globalization;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Matching;

namespace ListeningTogether.Pipeline.Tests.Properties;

/// <summary>One eligible copy of a play, as the properties generate it.</summary>
public sealed record PlayCopy(string TrackId, string EventId, long PlayedAtMs, Location Place)
{
    /// <summary>The copy as <see cref="CoPlayRule"/> takes it, within its (window, track) group.</summary>
    public EligiblePlay Eligible => new(EventId, PlayedAtMs, Place);

    public override string ToString() =>
        $"{TrackId}/{EventId}@{PlayedAtMs}:{Place.GeonameId}({Place.Lat.ToString(CultureInfo.InvariantCulture)},{Place.Lon.ToString(CultureInfo.InvariantCulture)})";
}
