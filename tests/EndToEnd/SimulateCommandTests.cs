using System.Globalization;
using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary><c>lt simulate</c>: deterministic synthetic plays and their catalog, which <c>lt replay</c> turns into co-plays.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private const string Start = "2026-11-26T09:00:00Z";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] Simulate(string output, params string[] more) =>
        ["simulate", "--plays", "20000", "--seed", "5", "--start", Start, "--minutes", "1", "--output", output, .. more];

    [Fact]
    public async Task GivenTheSameSeed_WhenSimulatedTwice_ThenBothPlayFilesAndCatalogsAreByteIdentical()
    {
        Lt.RequireRealCityDb();
        string first = _temp.Combine("first", "plays.jsonl");
        string second = _temp.Combine("second", "plays.jsonl");

        LtResult one = await Lt.RunAsync(Simulate(first));
        LtResult two = await Lt.RunAsync(Simulate(second));

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Equal($"20,000 plays -> {first}; 20,000 tracks -> {_temp.Combine("first", "catalog.jsonl")}\n", one.Stdout);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(File.ReadAllBytes(_temp.Combine("first", "catalog.jsonl")), File.ReadAllBytes(_temp.Combine("second", "catalog.jsonl")));
        Assert.Equal(20_000, File.ReadLines(first).Count());
        Assert.Equal(["catalog.jsonl", "plays.jsonl"], Directory.EnumerateFiles(_temp.Combine("first")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenSimulatedPlays_WhenReplayed_ThenThereAreCoPlaysAndTheSummaryCountsAddUp()
    {
        Lt.RequireRealCityDb();
        string plays = _temp.Combine("sim", "plays.jsonl");
        string output = _temp.Combine("out");
        LtResult simulated = await Lt.RunAsync(Simulate(plays));
        Assert.True(simulated.ExitCode == 0, simulated.ToString());

        LtResult replayed = await Lt.RunAsync(["replay", "--input", plays, "--output", output]);

        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        JsonElement s = summary.RootElement;
        long inputRecords = s.GetProperty("inputRecords").GetInt64();
        long eligibleRecords = s.GetProperty("eligibleRecords").GetInt64();
        long ineligible = s.GetProperty("ineligible").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(20_000, inputRecords);
        Assert.Equal(inputRecords, eligibleRecords + ineligible);
        Assert.Equal(eligibleRecords, s.GetProperty("eligiblePlays").GetInt64() + s.GetProperty("duplicateRecords").GetInt64());
        long coPlays = s.GetProperty("coPlays").GetInt64();
        Assert.True(coPlays > 0, "no co-plays");
        Assert.Equal(coPlays, File.ReadLines(Path.Combine(output, "coplays.jsonl")).Count());
        Assert.Equal(60, s.GetProperty("windows").GetInt64());
        string[] range = [.. s.GetProperty("playedAtRange").EnumerateArray().Select(e => e.GetString()!)];
        Assert.StartsWith("2026-11-26T09:00:", range[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-26T09:00:", range[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenNoMinutesOption_WhenSimulated_ThenItUsesTheDefaultHourAndExitsZero()
    {
        Lt.RequireRealCityDb();
        string plays = _temp.Combine("sim", "plays.jsonl");

        LtResult result = await Lt.RunAsync(["simulate", "--plays", "200", "--seed", "5", "--start", Start, "--output", plays]);

        Assert.True(result.ExitCode == 0, result.ToString());
        DateTimeOffset start = DateTimeOffset.Parse(Start, CultureInfo.InvariantCulture);
        DateTimeOffset[] playedAt = [.. File.ReadLines(plays).Select(PlayedAt).OfType<DateTimeOffset>()];
        Assert.True(playedAt.Length > 150, $"{playedAt.Length} plays with a playedAt");
        Assert.All(playedAt, at => Assert.InRange(at, start, start.AddMinutes(60).AddTicks(-1)));
        Assert.True(playedAt.Max() > start.AddMinutes(30), $"the latest play is at {playedAt.Max():O}, not spread over the hour");
    }

    /// <summary>The playedAt of a record, or null for the simulator's malformed and oddly typed ones.</summary>
    private static DateTimeOffset? PlayedAt(string line)
    {
        try
        {
            using var play = JsonDocument.Parse(line);
            return play.RootElement.ValueKind == JsonValueKind.Object
                && play.RootElement.TryGetProperty("playedAt", out JsonElement at) && at.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset parsed)
                ? parsed
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
