using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Simulator;

namespace ListeningTogether.Host.Cli;

/// <summary>Builds the simulator from settings: the City database's networks, GeoNames populations and a catalog.</summary>
internal static class SimulatorFactory
{
    public static (PlaySimulator Simulator, TrackCatalog Catalog) Create(GeoOptions geo, SimulatorOptions options, int maxAccuracyRadiusKm)
    {
        string cityDb = string.IsNullOrWhiteSpace(geo.CityDb) ? RepositoryPaths.DataFile("GeoLite2-City.mmdb") : geo.CityDb;
        string citiesPath = SimulatorPaths.CitiesPath(options.CitiesPath);
        ListenerCities cities;
        try
        {
            cities = ListenerCities.Load(cityDb, citiesPath, maxAccuracyRadiusKm);
        }
        catch (CityListException e)
        {
            throw new SettingsException($"Simulator:CitiesPath '{e.Path}': {e.Problem}");
        }
        catch (InvalidDataException e)
        {
            throw new GeoDatabaseException(cityDb, e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // Both files read, but they have no city in common.
            throw new SettingsException($"Simulator:CitiesPath '{citiesPath}' and Geo:CityDb '{cityDb}': {e.Message}");
        }

        TrackCatalog catalog = TrackCatalog.Generate(options.CatalogSize, options.Seed);
        return (new PlaySimulator(cities, catalog, options), catalog);
    }
}
