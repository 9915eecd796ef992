using ListeningTogether.Abstractions.Options;
using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Host.Configuration;

/// <summary>Opens the configured MaxMind databases; the City database defaults to the one the set-up installs.</summary>
internal sealed class GeoDatabases : IDisposable
{
    private GeoDatabases(CityDatabase cities, AnonymousIpDatabase? anonymousIps)
    {
        Cities = cities;
        AnonymousIps = anonymousIps;
    }

    public CityDatabase Cities { get; }

    public AnonymousIpDatabase? AnonymousIps { get; }

    public static GeoDatabases Open(GeoOptions options)
    {
        string cityPath = string.IsNullOrWhiteSpace(options.CityDb) ? RepositoryPaths.DataFile("GeoLite2-City.mmdb") : options.CityDb;
        CityDatabase cities = CityDatabase.Open(cityPath);
        try
        {
            AnonymousIpDatabase? anonymous = string.IsNullOrWhiteSpace(options.AnonymousIpDb) ? null : AnonymousIpDatabase.Open(options.AnonymousIpDb);
            return new GeoDatabases(cities, anonymous);
        }
        catch
        {
            cities.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Cities.Dispose();
        AnonymousIps?.Dispose();
    }
}
