using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// Settings sources in order, on a copy of the executable with its own appsettings.json: the file, then
/// LT__Section__Key variables, then --Section:Key=value arguments. Observed through replay's summary and result:
/// London and Linköping (MaxMind test database) are 1,258 km apart.
/// </summary>
public sealed class SettingsSourcesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _dll;
    private readonly string _input;

    public SettingsSourcesTests()
    {
        string app = _temp.Combine("app");
        foreach (string file in Directory.EnumerateFiles(Lt.Directory, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(app, Path.GetRelativePath(Lt.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.WriteAllText(Path.Combine(app, "appsettings.json"), JsonSerializer.Serialize(new
        {
            Geo = new { CityDb = Lt.MaxMindTest("GeoIP2-City-Test.mmdb") },
            Pipeline = new { MinDistanceKm = 150 },
        }));
        _dll = Path.Combine(app, "lt.dll");
        _input = _temp.Combine("plays.jsonl");
        File.WriteAllText(_input,
            "{\"eventId\":\"e1\",\"trackId\":\"t\",\"ip\":\"81.2.69.142\",\"playedAt\":\"2026-11-26T14:03:22.431Z\"}\n"
            + "{\"eventId\":\"e2\",\"trackId\":\"t\",\"ip\":\"89.160.20.112\",\"playedAt\":\"2026-11-26T14:03:22.999Z\"}\n");
    }

    public void Dispose() => _temp.Dispose();

    private async Task<(double MinDistanceKm, long CoPlays)> ReplayAsync(Dictionary<string, string>? environment = null, params string[] settings)
    {
        string output = _temp.Combine("out-" + Guid.NewGuid().ToString("N"));
        LtResult result = await Lt.RunAsync(["replay", "--input", _input, "--output", output, .. settings], environment, _dll);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        return (
            summary.RootElement.GetProperty("settings").GetProperty("minDistanceKm").GetDouble(),
            summary.RootElement.GetProperty("coPlays").GetInt64());
    }

    [Fact]
    public async Task GivenAnAppSettingsFileWithASyntaxError_WhenReplayed_ThenItExitsTwoNamingTheFile()
    {
        string file = Path.Combine(Path.GetDirectoryName(_dll)!, "appsettings.json");
        File.WriteAllText(file, "{ \"Pipeline\": { MinDistanceKm: 150 } }");

        LtResult result = await Lt.RunAsync(["replay", "--input", _input, "--output", _temp.Combine("out")], dll: _dll);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: appsettings.json '{file}': not valid JSON: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
    }

    [Fact]
    public async Task GivenOnlyAppSettings_WhenReplayed_ThenItsValuesApply()
    {
        Assert.Equal((150, 1), await ReplayAsync());
    }

    [Fact]
    public async Task GivenAnEnvironmentVariable_WhenReplayed_ThenItOverridesAppSettings()
    {
        Assert.Equal((2000, 0), await ReplayAsync(new() { ["LT__Pipeline__MinDistanceKm"] = "2000" }));
    }

    [Fact]
    public async Task GivenAnEnvironmentVariableAndAnArgument_WhenReplayed_ThenTheArgumentWins()
    {
        Assert.Equal((1000, 1), await ReplayAsync(new() { ["LT__Pipeline__MinDistanceKm"] = "2000" }, "--Pipeline:MinDistanceKm=1000"));
    }
}
