using System.Text.Json.Nodes;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// DESIGN.md "Scale-out": a day replayed as the Jobs do it, one hour per completion index and then merged, gives
/// the co-plays of one replay of the whole day. The Jobs' own scripts run here with the real executable; only
/// the volume paths and the image's <c>/app/lt.dll</c> are moved to this machine.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class ReplayJobTests(DeployFixture deploy) : IDisposable
{
    private const string Day = "2026-11-26";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly string _root = Directory.CreateTempSubdirectory("lt-replay-job-").FullName;

    [Fact]
    public async Task GivenAnArchivedDay_WhenEachReplayIndexRunsAndThenTheMerge_ThenTheDayHasTheCoPlaysOfOneReplayOfTheWholeDay()
    {
        Manifests manifests = deploy[DeployFixture.Base];
        string archive = Path.Combine(_root, "data", "archive");
        await Lt("simulate", "--plays", "12000", "--seed", "5", "--start", $"{Day}T00:00:00Z", "--minutes", "150", "--output", archive + "/", $"--Geo:CityDb={RealCityDb()}");

        var environment = new Dictionary<string, string> { ["REPLAY_DAY"] = Day, ["LT__Geo__CityDb"] = RealCityDb() };
        var hours = new List<string>();
        for (int index = 0; index < 24; index++)
        {
            environment["JOB_COMPLETION_INDEX"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ProcessRun replay = await Script(manifests, "lt-replay", environment);
            hours.Add(replay.Output.Trim().Split('\n')[^1]);
        }

        ProcessRun merge = await Script(manifests, "lt-merge", environment);
        await Lt("replay", "--input", archive, "--output", Path.Combine(_root, "whole"), $"--Geo:CityDb={RealCityDb()}");

        Assert.Equal(3, Directory.GetDirectories(Path.Combine(_root, "data", "replay", Day), "hour=*").Length);
        Assert.Equal($"no archive for {Day} hour 23 ({archive}/dt={Day}/hour=23): nothing to replay", hours[23]);
        Assert.StartsWith("3 outputs", merge.Output.Trim(), StringComparison.Ordinal);
        string whole = await File.ReadAllTextAsync(Path.Combine(_root, "whole", "coplays.jsonl"));
        Assert.NotEmpty(whole);
        Assert.Equal(whole, await File.ReadAllTextAsync(Path.Combine(_root, "data", "replay", Day, "day", "coplays.jsonl")));
        JsonNode day = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_root, "data", "replay", Day, "day", "summary.json")))!;
        JsonNode all = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_root, "whole", "summary.json")))!;
        Assert.Equal(all["eligiblePlays"]!.GetValue<long>(), day["eligiblePlays"]!.GetValue<long>());
        Assert.Equal(all["coPlays"]!.GetValue<long>(), day["coPlays"]!.GetValue<long>());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string LtDll => Path.Combine(AppContext.BaseDirectory, "lt.dll");

    private static string RealCityDb()
    {
        string path = Path.Combine(RepositoryFiles.Root, "data", "GeoLite2-City.mmdb");
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/setup.sh");
        return path;
    }

    /// <summary>Runs a Job's container script with its volume paths under this test's folder.</summary>
    private async Task<ProcessRun> Script(Manifests manifests, string job, IReadOnlyDictionary<string, string> environment)
    {
        JsonObject container = manifests.Pod("Job", job).Spec.Objects("containers").Single();
        Assert.Equal(["/bin/sh", "-c"], container.Texts("command"));
        string script = container.Texts("args").Single()
            .Replace("/data/", Path.Combine(_root, "data") + "/", StringComparison.Ordinal)
            .Replace("/app/lt.dll", LtDll, StringComparison.Ordinal);
        ProcessRun run = await ProcessRun.RunAsync("/bin/sh", ["-c", script], Timeout, environment);
        Assert.True(run.ExitCode == 0, $"{job} exited with {run.ExitCode}: {run.Errors}");
        return run;
    }

    private static async Task Lt(params string[] arguments)
    {
        ProcessRun run = await ProcessRun.RunAsync("dotnet", [LtDll, .. arguments], Timeout);
        Assert.True(run.ExitCode == 0, $"lt {arguments[0]} exited with {run.ExitCode}: {run.Errors}");
    }
}
