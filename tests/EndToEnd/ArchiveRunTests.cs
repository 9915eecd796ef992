using System.Diagnostics;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd;

/// <summary>
/// Runs <c>lt run</c> with <c>Archive:ParquetDir</c> (built-in simulator at 3,000 plays/s, a 2 s roll) for about
/// eight seconds, stops it with SIGINT, then replays the archive it left.
/// </summary>
public sealed class ArchiveRunFixture : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan FirstCoPlayWithin = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _temp = new();

    public string ArchiveDir => _temp.Combine("archive");

    public string ResultsPath => _temp.Combine("results.jsonl");

    public string ReplayDir => _temp.Combine("replayed");

    public LtResult Run { get; private set; } = new(-1, "", "");

    public LtResult Replay { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync()
    {
        Lt.RequireRealCityDb();
        var clock = Stopwatch.StartNew();
        using (LtProcess run = Lt.Start(
        [
            "run",
            "--Simulator:PlaysPerSecond=3000",
            $"--Archive:ParquetDir={ArchiveDir}",
            "--Archive:RollSeconds=2",
            $"--Results:Jsonl={ResultsPath}",
            "--Urls=http://127.0.0.1:0",
        ]))
        {
            // At least eight seconds, and on a busy machine until a co-play was found and a segment rolled while running.
            while ((clock.Elapsed < RunFor || !File.Exists(ResultsPath) || new FileInfo(ResultsPath).Length == 0 || !run.Stdout.Contains("Archive: segment ", StringComparison.Ordinal))
                && clock.Elapsed < FirstCoPlayWithin
                && !run.HasExited)
            {
                await Task.Delay(100);
            }

            if (!run.HasExited)
            {
                await run.InterruptAsync();
            }

            Run = await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Replay = await Lt.RunAsync(["replay", "--input", ArchiveDir, "--output", ReplayDir]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();
}

public sealed class ArchiveRunTests(ArchiveRunFixture fixture) : IClassFixture<ArchiveRunFixture>
{
    [Fact]
    public void GivenARunWithAnArchive_WhenStoppedWithSigint_ThenItExitsZeroAndNothingFailed()
    {
        Assert.True(fixture.Run.ExitCode == 0, fixture.Run.ToString());
        Assert.DoesNotContain(" fail: ", fixture.Run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", fixture.Run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenARunWithAnArchive_WhenStopped_ThenEverySegmentBecameParquetInHourPartitionsWithNoTempFileLeft()
    {
        string[] files = [.. Directory.EnumerateFiles(fixture.ArchiveDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(fixture.ArchiveDir, f))];

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Matches(@"^dt=\d{4}-\d\d-\d\d/hour=\d\d/\d{8}T\d{9}Z-[0-9a-f]{8}\.parquet$", f));
        Assert.True(files.Length >= 2, $"a segment rolled while running and the last at the stop, yet there are only {files.Length} file(s)");
    }

    [Fact]
    public void GivenTheArchiveOfARun_WhenReplayed_ThenEveryCoPlayTheStreamFoundIsFoundIdentically()
    {
        Assert.True(fixture.Replay.ExitCode == 0, fixture.Replay.ToString());
        string[] streamed = File.ReadAllLines(fixture.ResultsPath);
        var replayed = File.ReadAllLines(Path.Combine(fixture.ReplayDir, "coplays.jsonl")).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(streamed);
        Assert.All(streamed, line => Assert.Contains(line, replayed));
    }
}
