using MaxMind.Db;

namespace ListeningTogether.Pipeline.Tests.Fixtures;

// What MaxMind.Db's own reader decodes of a City record into small types (the pipeline's former decoder): the
// reference the pipeline's data-section decoder is compared with.

public sealed class MaxMindCityRecord
{
    [Constructor]
    public MaxMindCityRecord(
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

public sealed class CityPart
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
public sealed class EnglishName
{
    [Constructor]
    public EnglishName([MapKey("en")] string? en)
    {
        Value = en;
    }

    public string? Value { get; }
}

public sealed class CountryPart
{
    [Constructor]
    public CountryPart([MapKey("iso_code")] string? isoCode)
    {
        IsoCode = isoCode;
    }

    public string? IsoCode { get; }
}

public sealed class LocationPart
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
