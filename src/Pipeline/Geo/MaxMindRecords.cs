using MaxMind.Db;

namespace ListeningTogether.Pipeline.Geo;

// Small types MaxMind.Db decodes into: only the fields the pipeline uses, so other fields are skipped.

internal sealed class CityRecord
{
    [Constructor]
    public CityRecord(
        [MapKey("city")] CityPart? city,
        [MapKey("country")] CountryPart? country,
        [MapKey("location")] LocationPart? location)
    {
        City = city;
        Country = country;
        Location = location;
    }

    public CityPart? City { get; }

    public CountryPart? Country { get; }

    public LocationPart? Location { get; }
}

internal sealed class CityPart
{
    [Constructor]
    public CityPart(
        [MapKey("geoname_id")] long? geonameId,
        [MapKey("names")] EnglishName? names)
    {
        GeonameId = geonameId;
        English = names?.Value;
    }

    public long? GeonameId { get; }

    public string? English { get; }
}

/// <summary>Only the English entry of a names map: the other languages are skipped, not decoded.</summary>
internal sealed class EnglishName
{
    [Constructor]
    public EnglishName([MapKey("en")] string? en)
    {
        Value = en;
    }

    public string? Value { get; }
}

internal sealed class CountryPart
{
    [Constructor]
    public CountryPart([MapKey("iso_code")] string? isoCode)
    {
        IsoCode = isoCode;
    }

    public string? IsoCode { get; }
}

internal sealed class LocationPart
{
    [Constructor]
    public LocationPart(
        [MapKey("latitude")] double? latitude,
        [MapKey("longitude")] double? longitude,
        [MapKey("accuracy_radius")] int? accuracyRadius)
    {
        Latitude = latitude;
        Longitude = longitude;
        AccuracyRadius = accuracyRadius;
    }

    public double? Latitude { get; }

    public double? Longitude { get; }

    public int? AccuracyRadius { get; }
}

internal sealed class AnonymousIpRecord
{
    [Constructor]
    public AnonymousIpRecord(
        [MapKey("is_anonymous")] bool? isAnonymous,
        [MapKey("is_anonymous_vpn")] bool? isAnonymousVpn,
        [MapKey("is_tor_exit_node")] bool? isTorExitNode,
        [MapKey("is_public_proxy")] bool? isPublicProxy,
        [MapKey("is_hosting_provider")] bool? isHostingProvider,
        [MapKey("is_residential_proxy")] bool? isResidentialProxy)
    {
        IsListed = (isAnonymous ?? false) || (isAnonymousVpn ?? false) || (isTorExitNode ?? false)
            || (isPublicProxy ?? false) || (isHostingProvider ?? false) || (isResidentialProxy ?? false);
    }

    public bool IsListed { get; }
}
