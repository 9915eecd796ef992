using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Pipeline.Eligibility;
using ListeningTogether.Pipeline.Geo;

namespace ListeningTogether.Bench;

/// <summary>
/// The IP -> location table another engine needs to apply the co-play rule (bench/replay-vs-duckdb.sh): reads
/// JSON lines <c>{"ip":"..."}</c> and writes, for each address that passes every address step of eligibility
/// (strict text, public, a city with coordinates, accuracy radius), <c>{"ip","geoname_id","city","country","lat","lon"}</c>.
/// Usage: <c>geolocate IPS.jsonl OUT.jsonl [CITY_DB] [MAX_ACCURACY_RADIUS_KM]</c>.
/// </summary>
internal static class IpLocations
{
    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: geolocate IPS.jsonl OUT.jsonl [CITY_DB] [MAX_ACCURACY_RADIUS_KM]");
            return 2;
        }

        using CityDatabase cities = CityDatabase.Open(args.Length > 3 ? args[3] : BenchData.CityDb);
        var addresses = new AddressClassifier(cities, null, args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 250);
        using FileStream output = File.Create(args[2]);
        var line = new ArrayBufferWriter<byte>(256);
        using var json = new Utf8JsonWriter(line, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long read = 0, located = 0;
        foreach (string input in File.ReadLines(args[1]))
        {
            read++;
            string? ip = JsonDocument.Parse(input).RootElement.GetProperty("ip").GetString();
            if (ip is null || addresses.Classify(System.Text.Encoding.UTF8.GetBytes(ip), out CityGeo? geo) != IneligibleReason.None)
            {
                continue;
            }

            Location place = geo!.Location!;
            json.WriteStartObject();
            json.WriteString("ip", ip);
            json.WriteNumber("geoname_id", place.GeonameId);
            json.WriteString("city", place.City);
            json.WriteString("country", place.Country);
            json.WriteNumber("lat", place.Lat);
            json.WriteNumber("lon", place.Lon);
            json.WriteEndObject();
            json.Flush();
            output.Write(line.WrittenSpan);
            output.WriteByte((byte)'\n');
            line.Clear();
            json.Reset(line);
            located++;
        }

        Console.WriteLine($"{read} addresses, {located} located");
        return 0;
    }
}
