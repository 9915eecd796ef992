using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Failures;

/// <summary>Two million simulated plays: replay takes several seconds on them, long enough to be interrupted.</summary>
public sealed class LongReplayInput : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();

    public string Plays => _temp.Combine("plays.jsonl");

    public async Task InitializeAsync()
    {
        Lt.RequireRealCityDb();
        LtResult result = await Lt.RunAsync(["simulate", "--plays", "2000000", "--output", Plays], timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// Issue 12, finding 4: SIGINT (Ctrl+C) or SIGTERM during replay or simulate ends it with exit code 130 or 143 and
/// removes its temporary files (the <c>.replay-*</c> work folders, simulate's <c>.tmp</c> file).
/// </summary>
public sealed class InterruptionTests(LongReplayInput input) : IClassFixture<LongReplayInput>, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task GivenAReplayAtWork_WhenSignalled_ThenItExitsWithTheSignalsCodeAndLeavesNoWorkFolder(string signal, int exitCode)
    {
        string output = _temp.Combine("out");
        using LtProcess replay = Lt.Start(["replay", "--input", input.Plays, "--output", output]);
        await UntilAsync(() => Directory.Exists(output) && Directory.GetDirectories(output, ".replay-*").Length > 0, replay, "replay made no work folder");
        await Task.Delay(TimeSpan.FromSeconds(1)); // well into its first pass, a few seconds from its end
        Assert.Equal(2, Directory.GetDirectories(output, ".replay-*").Length);

        await replay.SignalAsync(signal);
        LtResult result = await replay.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.EndsWith("interrupted; temporary files removed\n", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task GivenASimulationAtWork_WhenSignalled_ThenItExitsWithTheSignalsCodeAndLeavesNoTemporaryFile(string signal, int exitCode)
    {
        string output = _temp.Combine("plays.jsonl");
        using LtProcess simulate = Lt.Start(["simulate", "--plays", "100000000", "--output", output]);
        await UntilAsync(() => File.Exists(output + ".tmp"), simulate, "simulate did not start writing");

        await simulate.SignalAsync(signal);
        LtResult result = await simulate.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.False(File.Exists(output + ".tmp"), $"{output}.tmp is left");
        Assert.False(File.Exists(output), $"{output} was written");
    }

    /// <summary>Waits until the verb is at work (its temporary files exist), failing if it ends or takes too long.</summary>
    private static async Task UntilAsync(Func<bool> atWork, LtProcess process, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!atWork())
        {
            Assert.False(process.HasExited, $"{failure}: it ended first");
            Assert.True(waited.Elapsed < StartTimeout, $"{failure} within {StartTimeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
