using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// <c>lt simulate --output FILE.parquet</c> and <c>--output DIR/</c>: the same plays as the JSONL target, written with
/// the archive writer, so replaying any of them gives byte-identical co-plays; records without a valid playedAt
/// cannot be archived and are reported, never dropped silently.
/// </summary>
public sealed class SimulateToParquetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] Simulate(string output, string start = "2026-11-26T09:00:00Z", string minutes = "1") =>
        ["simulate", "--plays", "20000", "--seed", "5", "--start", start, "--minutes", minutes, "--output", output];

    [Fact]
    public async Task GivenTheSameSeed_WhenSimulatedToParquetAndToJsonlAndReplayed_ThenCoPlaysJsonlIsByteIdentical()
    {
        Lt.RequireRealCityDb();
        string jsonl = _temp.Combine("jsonl", "plays.jsonl");
        string parquet = _temp.Combine("parquet", "plays.parquet");
        await SimulateAsync(Simulate(jsonl));

        LtResult simulated = await SimulateAsync(Simulate(parquet));

        string fromJsonl = await ReplayAsync(jsonl, "from-jsonl");
        string fromParquet = await ReplayAsync(parquet, "from-parquet");
        Assert.Equal(File.ReadAllBytes(Path.Combine(fromJsonl, "coplays.jsonl")), File.ReadAllBytes(Path.Combine(fromParquet, "coplays.jsonl")));
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(fromParquet, "coplays.jsonl")));

        // What could not be archived is exactly what the JSONL replay found without a valid playedAt.
        long notArchivable = WithoutPlayedAt(fromJsonl);
        Assert.True(notArchivable > 0, "the simulation has no malformed records");
        Assert.Equal(20_000 - notArchivable, InputRecords(fromParquet));
        Assert.Equal(
            $"{20_000 - notArchivable:N0} plays -> {parquet}; 20,000 tracks -> {_temp.Combine("parquet", "catalog.jsonl")}\n{notArchivable:N0} plays without a valid playedAt were not written\n",
            simulated.Stdout);
        Assert.Equal(File.ReadAllBytes(_temp.Combine("jsonl", "catalog.jsonl")), File.ReadAllBytes(_temp.Combine("parquet", "catalog.jsonl")));
        Assert.Equal(["catalog.jsonl", "plays.parquet"], Directory.EnumerateFiles(_temp.Combine("parquet")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GivenAnArchiveFolderTarget_WhenNinetyMinutesAreSimulated_ThenEachUtcHourIsAPartitionAndReplayingTheFolderEqualsReplayingTheJsonl()
    {
        Lt.RequireRealCityDb();
        string jsonl = _temp.Combine("jsonl", "plays.jsonl");
        string archive = _temp.Combine("archive") + "/";
        await SimulateAsync(Simulate(jsonl, start: "2026-11-26T23:30:00Z", minutes: "90"));

        LtResult simulated = await SimulateAsync(Simulate(archive, start: "2026-11-26T23:30:00Z", minutes: "90"));

        Assert.Equal(
            ["_catalog.jsonl", "dt=2026-11-26/hour=23/simulated-seed5.parquet", "dt=2026-11-27/hour=00/simulated-seed5.parquet"],
            Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(archive, f)).Order(StringComparer.Ordinal));
        Assert.Contains("(2 hour partitions)", simulated.Stdout, StringComparison.Ordinal);
        string fromJsonl = await ReplayAsync(jsonl, "from-jsonl");
        string fromArchive = await ReplayAsync(archive, "from-archive");
        Assert.Equal(File.ReadAllBytes(Path.Combine(fromJsonl, "coplays.jsonl")), File.ReadAllBytes(Path.Combine(fromArchive, "coplays.jsonl")));
        Assert.Equal(20_000 - WithoutPlayedAt(fromJsonl), InputRecords(fromArchive));
    }

    [Fact]
    public async Task GivenAnExistingFolderWithoutATrailingSlash_WhenSimulated_ThenItIsAnArchiveFolder()
    {
        Lt.RequireRealCityDb();
        string archive = _temp.Combine("archive");
        Directory.CreateDirectory(archive);

        await SimulateAsync(["simulate", "--plays", "100", "--seed", "5", "--start", "2026-11-26T09:00:00Z", "--minutes", "1", "--output", archive]);

        Assert.True(File.Exists(Path.Combine(archive, "dt=2026-11-26", "hour=09", "simulated-seed5.parquet")));
    }

    [Fact]
    public async Task GivenATargetThatIsNeitherJsonlNorParquetNorAFolder_WhenSimulated_ThenItExitsTwoNamingTheTarget()
    {
        LtResult result = await Lt.RunAsync(["simulate", "--plays", "10", "--output", _temp.Combine("plays.csv")]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --output '{_temp.Combine("plays.csv")}': expected FILE.jsonl, FILE.parquet or DIR/ (a folder, for the archive layout).\n", result.Stderr);
    }

    private static async Task<LtResult> SimulateAsync(string[] args)
    {
        LtResult result = await Lt.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private async Task<string> ReplayAsync(string input, string name)
    {
        string output = _temp.Combine(name);
        LtResult result = await Lt.RunAsync(["replay", "--input", input, "--output", output]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return output;
    }

    private static JsonElement Summary(string output) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement;

    private static long InputRecords(string output) => Summary(output).GetProperty("inputRecords").GetInt64();

    private static long WithoutPlayedAt(string output)
    {
        JsonElement ineligible = Summary(output).GetProperty("ineligible");
        return ((string[])["malformed", "invalid_event_id", "invalid_track_id", "invalid_played_at"]).Sum(r => ineligible.GetProperty(r).GetInt64());
    }
}
