using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.EndToEnd.Failures;

/// <summary>
/// Issue 12, finding 3: an unusable <c>--output</c> is refused before work (exit code 2), a full disk while writing
/// ends the verb with exit code 1; either way one line naming the path and the cause, no stack trace, and no
/// temporary file left behind.
/// </summary>
public sealed class OutputFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GivenAnOutputThatIsAFile_WhenReplayed_ThenItExitsTwoNamingIt()
    {
        string file = _temp.Combine("taken");
        File.WriteAllText(file, "");

        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", file]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --output '{file}': this is a file, and a folder is needed\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAnEmptyOutput_WhenReplayed_ThenItExitsTwoSayingSo()
    {
        LtResult result = await Lt.RunAsync(["replay", "--input", Lt.Examples("plays.jsonl"), "--output", ""]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: --output '': the path is empty\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAFileUsedAsAFolder_WhenSimulated_ThenItExitsTwoNamingIt()
    {
        string file = _temp.Combine("taken");
        File.WriteAllText(file, "");

        LtResult result = await Lt.RunAsync(["simulate", "--plays", "10", "--output", file + "/"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --output '{file}/': this is a file, and a folder is needed\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAFileAboveTheOutput_WhenMerged_ThenItExitsTwoNamingIt()
    {
        string file = _temp.Combine("taken");
        File.WriteAllText(file, "");

        LtResult result = await Lt.RunAsync(["merge", "--input", _temp.Path, "--output", Path.Combine(file, "merged")]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --output '{file}/merged': '{file}' is a file, and a folder is needed there\n", result.Stderr);
    }

    [Fact]
    public async Task GivenAFullDisk_WhenSimulatedToJsonl_ThenItExitsOneNamingTheFileAndLeavesNoTemporaryFile()
    {
        using Tmpfs disk = await Tmpfs.MountAsync(_temp.Combine("disk"));
        string output = Path.Combine(disk.Path, "plays.jsonl");

        LtResult result = await Lt.RunAsync(["simulate", "--plays", "100000", "--output", output]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"error: '{output}.tmp': no space left on device\n", LastLine(result.Stderr));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(disk.Path, "*.tmp"));
    }

    [Fact]
    public async Task GivenAFullDisk_WhenSimulatedToParquet_ThenItExitsOneAndLeavesNoTemporaryFile()
    {
        using Tmpfs disk = await Tmpfs.MountAsync(_temp.Combine("disk"));
        string output = Path.Combine(disk.Path, "plays.parquet");

        LtResult result = await Lt.RunAsync(["simulate", "--plays", "100000", "--output", output]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches($"^error: '{disk.Path}/[^']+': no space left on device\n$", LastLine(result.Stderr));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(disk.Path, "_tmp-*"));
    }

    [Fact]
    public async Task GivenAFullDisk_WhenReplayed_ThenItExitsOneNamingTheFileAndLeavesNoWorkFolder()
    {
        Lt.RequireRealCityDb();
        string plays = _temp.Combine("plays.jsonl");
        LtResult simulated = await Lt.RunAsync(["simulate", "--plays", "200000", "--output", plays]);
        Assert.True(simulated.ExitCode == 0, simulated.ToString());
        using Tmpfs disk = await Tmpfs.MountAsync(_temp.Combine("disk"));
        string output = Path.Combine(disk.Path, "out");

        LtResult result = await Lt.RunAsync(["replay", "--input", plays, "--output", output]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches($"^error: '{output}/[^']+': no space left on device\n$", LastLine(result.Stderr));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(output, ".replay-*"));
    }

    /// <summary>The last line of stderr: progress lines come before it.</summary>
    private static string LastLine(string stderr) =>
        stderr.TrimEnd('\n').Split('\n', '\r')[^1] + "\n";
}
