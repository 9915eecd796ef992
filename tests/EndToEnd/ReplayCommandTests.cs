using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary><c>lt replay</c> as users run it: exact co-plays of the shared examples, and clear failures.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenTheEdgeEncodedExample_WhenReplayed_ThenItExitsZeroAndCoPlaysJsonlIsByteIdenticalToExpected()
    {
        Lt.RequireRealCityDb();
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays-edge.jsonl"), "--output", output]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(Lt.Examples("expected.jsonl")), File.ReadAllBytes(Path.Combine(output, "coplays.jsonl")));
        Assert.Equal($"3,027 records, 2,738 eligible plays, 496 co-plays -> {output}\n", result.Stdout);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
    }

    [Theory]
    [InlineData("GeoIP2-City-Test-Broken-Double-Format.mmdb")]
    [InlineData("GeoIP2-City-Test-Invalid-Node-Count.mmdb")]
    public async Task GivenABrokenCityDatabase_WhenReplayed_ThenItExitsTwoNamingTheFileAndWritesNothing(string fileName)
    {
        string database = Lt.MaxMindTest(fileName);
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", output, $"--Geo:CityDb={database}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: MaxMind database '{database}' cannot be used: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(output), $"{output} was created");
    }

    [Fact]
    public async Task GivenAMissingCityDatabase_WhenReplayed_ThenItExitsTwoNamingTheFileAndHowToGetIt()
    {
        string database = _temp.Combine("nowhere", "GeoLite2-City.mmdb");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", _temp.Combine("out"), $"--Geo:CityDb={database}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(
            $"error: MaxMind database '{database}' cannot be used: the file does not exist (run scripts/setup.sh to install the GeoLite2 City database, or set Geo:CityDb).\n",
            result.Stderr);
    }

    [Fact]
    public async Task GivenAMissingInput_WhenReplayed_ThenItExitsTwoNamingItAndCreatesNoOutput()
    {
        Lt.RequireRealCityDb();
        string missing = _temp.Combine("nowhere", "plays.jsonl");
        string output = _temp.Combine("out");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), missing, "--output", output]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Input '{missing}' does not exist.\n", result.Stderr);
        Assert.False(Directory.Exists(output), $"{output} was created");
    }

    [Fact]
    public async Task GivenAWindowThatDoesNotDivideAnHour_WhenReplayed_ThenItExitsTwoNamingTheKey()
    {
        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", _temp.Combine("out"), "--Pipeline:WindowMs=7"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: Invalid setting Pipeline:WindowMs: 7 does not divide 3,600,000 (one hour), so windows would span hours.\n", result.Stderr);
    }
}
