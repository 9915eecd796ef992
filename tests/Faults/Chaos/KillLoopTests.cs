using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ListeningTogether.EndToEnd.Fixtures;

namespace ListeningTogether.Faults.Tests.Chaos;

/// <summary>
/// Fault matrix, "SIGKILL at random moments": bench/chaos.sh with 3 rounds, on the build these tests run with. One
/// <c>lt run</c> on the Pub/Sub emulator, with the archive and both result sinks, is killed three times under live
/// traffic and restarted; its results and its archive must equal <c>lt replay</c> of exactly the plays published,
/// with no row twice and no temporary file left. Kills here come within 25 s of each start, inside the start hold,
/// so the test stays within three minutes; <c>bench/chaos.sh 10</c> also kills workers while they write results.
/// </summary>
public sealed partial class KillLoopTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task GivenARunKilledThreeTimesUnderLiveTraffic_WhenItHasDrained_ThenItsResultsAndArchiveEqualReplayOfThePublishedPlays()
    {
        Lt.RequireRealCityDb();
        _ = Lt.Dll;
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Lt.Root,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            ArgumentList = { Path.Combine(Lt.Root, "bench", "chaos.sh"), "3", "--no-build" },
            Environment =
            {
                ["LT_CHAOS_KILLS"] = "early",
                ["LT_CHAOS_WORK"] = Path.Combine(Lt.Root, "artifacts", "chaos-ci"),
                ["LT_CONFIGURATION"] = Lt.Configuration,
            },
        };

        using Process script = Process.Start(start)!;
        Task<string> stdout = script.StandardOutput.ReadToEndAsync();
        Task<string> stderr = script.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await script.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(script);
            Assert.Fail($"bench/chaos.sh 3 did not finish within {Patience.TotalMinutes} minutes.\n{await stdout}\n{await stderr}");
        }

        string output = await stdout;
        string errors = await stderr;
        string last = output.TrimEnd('\n').Split('\n')[^1];
        Assert.True(script.ExitCode == 0, $"bench/chaos.sh 3 exited with {script.ExitCode}.\n--- stdout\n{output}\n--- stderr\n{errors}");
        Match match = LastLine().Match(last);
        Assert.True(match.Success && match.Groups["equal"].Value == match.Groups["all"].Value, $"Last line: {last}\n--- stdout\n{output}\n--- stderr\n{errors}");
    }

    /// <summary>SIGTERM first, so that the script's trap stops the lt it started and the emulator's process group.</summary>
    private static async Task StopAsync(Process script)
    {
        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await term.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await script.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@"^chaos: 3 kills, results == replay of published plays: MATCH (?<equal>\d+)/(?<all>\d+), archive == published: MATCH$")]
    private static partial Regex LastLine();
}
