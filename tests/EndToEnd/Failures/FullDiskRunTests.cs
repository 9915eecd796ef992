using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.EndToEnd.Site;

namespace ListeningTogether.EndToEnd.Failures;

/// <summary>
/// <c>lt run</c> on a full disk, as an operator meets it (DESIGN.md "Failure, exit codes and readiness"): a results
/// sink that cannot write ends the process with exit code 1 and one line naming the file and the cause; an archive
/// that cannot write makes the process unready, stops its reading and loses nothing once space comes back.
/// </summary>
public sealed partial class FullDiskRunTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenAFullDisk_WhenRunWritesResultsJsonl_ThenItExitsOneWithinAMinuteNamingTheFileAndNoSpace()
    {
        Lt.RequireRealCityDb();
        using var temp = new TempDirectory();
        using Tmpfs disk = await Tmpfs.MountAsync(temp.Combine("disk"), "300k");
        await disk.FillAsync(keepKilobytes: 8);
        string results = disk.Combine("coplays.jsonl");
        var clock = Stopwatch.StartNew();

        LtResult run = await Lt.RunAsync(["run", "--Urls=http://127.0.0.1:0", $"--Results:Jsonl={results}"], timeout: Patience);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(clock.Elapsed < Patience, $"exited after {clock.Elapsed.TotalSeconds:0} s");
        Assert.Equal($"error: Results:Jsonl '{results}': no space left on device for longer than Sinks:MaxOutageSeconds (30 s)", run.Stderr.Trim());
    }

    [Fact]
    public async Task GivenAFullDisk_WhenRunWritesResultsParquet_ThenItExitsOneNamingTheFolderAndNoSpace()
    {
        Lt.RequireRealCityDb();
        using var temp = new TempDirectory();
        using Tmpfs disk = await Tmpfs.MountAsync(temp.Combine("disk"), "300k");
        string results = disk.Combine("results");
        Directory.CreateDirectory(results);
        await disk.FillAsync(keepKilobytes: 4);

        LtResult run = await Lt.RunAsync(["run", "--Urls=http://127.0.0.1:0", $"--Results:ParquetDir={results}", "--Sinks:MaxOutageSeconds=5"], timeout: Patience);

        Assert.True(run.ExitCode == 1, run.ToString());
        string error = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: Results:ParquetDir '{results}': no space left on device", error);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task GivenTheArchivesDiskFills_WhenSpaceComesBack_ThenReadinessFollowsMemoryStaysAndEveryPlayIsArchived()
    {
        Lt.RequireRealCityDb();
        using var temp = new TempDirectory();
        using Tmpfs disk = await Tmpfs.MountAsync(temp.Combine("disk"), "1m");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var output = new TempDirectory();
        string archive = disk.Combine("archive");
        int port = SiteServer.FreePort();
        var metrics = new Uri($"http://127.0.0.1:{port}/metrics");
        var ready = new Uri($"http://127.0.0.1:{port}/readyz");
        using LtProcess run = Lt.Start(["run", $"--Urls=http://127.0.0.1:{port}", $"--Archive:ParquetDir={archive}", "--Sinks:MaxOutageSeconds=600"]);

        // The disk is full once a flush has taken its last bytes.
        await Until(() => Task.FromResult(new DriveInfo(disk.Path).AvailableFreeSpace == 0), run, "the archive to fill its disk");
        var full = Stopwatch.StartNew();
        long memoryWhenFull = ResidentBytes(run.Id);
        HttpResponseMessage unready = await Until(async () => await http.GetAsync(ready), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, run, "/readyz to answer 503");
        Assert.True(full.Elapsed < TimeSpan.FromSeconds(5), $"/readyz answered 503 only {full.Elapsed.TotalSeconds:0.0} s after the disk filled");
        Assert.Contains($"archive: Archive:ParquetDir '{archive}': no space left on device", await unready.Content.ReadAsStringAsync());
        Assert.Contains("lt_ready{otel_scope_name=\"ListeningTogether\",component=\"archive\"} 0", await http.GetStringAsync(metrics));

        // Ten seconds of outage: nothing more counts as archived, and memory stays put.
        double archivedThen = Metric(await http.GetStringAsync(metrics), "lt_plays_archived_total");
        long memoryPeak = memoryWhenFull;
        for (int i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            memoryPeak = Math.Max(memoryPeak, ResidentBytes(run.Id));
        }

        string during = await http.GetStringAsync(metrics);
        Assert.Equal(archivedThen, Metric(during, "lt_plays_archived_total"));
        Assert.True(Metric(during, "lt_sink_failures_total") > 0, during);
        Assert.True(memoryPeak - memoryWhenFull < 50L << 20, $"memory grew by {(memoryPeak - memoryWhenFull) >> 20} MB during the outage");
        Assert.True(Directory.GetFiles(Path.Combine(archive, "_segments")).Length <= 2, "a new segment file was left for every failed flush");

        await disk.ResizeAsync("64m");
        var freed = Stopwatch.StartNew();
        await Until(async () => await http.GetAsync(ready), r => r.StatusCode == HttpStatusCode.OK, run, "/readyz to answer 200 again");
        Assert.True(freed.Elapsed < TimeSpan.FromSeconds(5), $"/readyz answered 200 only {freed.Elapsed.TotalSeconds:0.0} s after space came back");
        await Until(async () => Metric(await http.GetStringAsync(metrics), "lt_plays_archived_total") > archivedThen, run, "plays to be archived again");

        await run.InterruptAsync();
        LtResult stopped = await run.WaitAsync(Patience);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Match archived = ArchiveStoppedLine().Match(stopped.Stdout);
        Assert.True(archived.Success, stopped.Stdout);
        Assert.Equal(archived.Groups["appended"].Value, archived.Groups["durable"].Value);
        LtResult replay = await Lt.RunAsync(["replay", "--input", archive, "--output", output.Path]);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(output.Combine("summary.json")));
        Assert.Equal(long.Parse(archived.Groups["appended"].Value, CultureInfo.InvariantCulture), summary.RootElement.GetProperty("inputRecords").GetInt64());
    }

    [GeneratedRegex(@"Archive: stopped with (?<durable>\d+) of the (?<appended>\d+) plays appended by this run on disk")]
    private static partial Regex ArchiveStoppedLine();

    private static double Metric(string metrics, string name) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>The process's resident memory (VmRSS).</summary>
    private static long ResidentBytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task Until(Func<Task<bool>> condition, LtProcess run, string what)
    {
        await Until(condition, ok => ok, run, what);
    }

    private static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, LtProcess run, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            Assert.False(run.HasExited, $"lt exited while waiting for {what}.\n{run.Stdout}");
            try
            {
                T value = await probe();
                if (done(value))
                {
                    return value;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}.\n{run.Stdout}");
        return default;
    }
}
