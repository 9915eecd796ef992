using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ListeningTogether.Pipeline.Geo;
using ListeningTogether.Pipeline.Net;

namespace ListeningTogether.Bench;

/// <summary>
/// City lookups of one batch of real plays' addresses, one by one in arrival order (<see cref="CityDatabase.FindRecord(Pipeline.Net.IpAddress128)"/>)
/// and in address order (<see cref="AddressOrderLookup"/>, its sort included), as replay does for each Parquet row group.
/// Usage: <c>lookup-order PLAYS.jsonl [BATCH] [ROUNDS]</c> (default 120,000 addresses, about a DuckDB row group, 5 rounds).
/// </summary>
internal static class LookupOrderExperiment
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: lookup-order PLAYS.jsonl [BATCH] [ROUNDS]");
            return 2;
        }

        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 120_000;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        using CityDatabase cities = CityDatabase.Open(BenchData.CityDb);
        IpAddress128[] addresses = [.. ReadAddresses(args[1]).Take(batch)];
        var offsets = new int[addresses.Length];
        var lookup = new AddressOrderLookup(cities);
        for (int round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < addresses.Length; i++)
            {
                offsets[i] = cities.FindRecord(addresses[i]);
            }

            double arrival = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            lookup.FindRecords(addresses, offsets);
            double sorted = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{addresses.Length} addresses: one by one in arrival order {arrival * 1e6 / addresses.Length:F0} ns each, address order {sorted * 1e6 / addresses.Length:F0} ns each (sort included)"));
        }

        return 0;
    }

    private static IEnumerable<IpAddress128> ReadAddresses(string plays)
    {
        foreach (string line in File.ReadLines(plays))
        {
            string? ip = null;
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("ip", out JsonElement value) && value.ValueKind == JsonValueKind.String)
                {
                    ip = value.GetString();
                }
            }
            catch (JsonException)
            {
                // The simulator's deliberately malformed records.
            }

            if (ip is not null && StrictIpParser.TryParse(Encoding.UTF8.GetBytes(ip), out IpAddress128 address))
            {
                yield return address;
            }
        }
    }
}
