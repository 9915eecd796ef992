using System.Text.Json;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Transports.PubSub;

namespace ListeningTogether.Faults.Tests.Stop;

/// <summary>
/// Fault matrix, "SIGTERM", for <c>lt run --stage ingest</c> with <c>Archive:ParquetDir</c> on the Pub/Sub emulator.
/// Ingest has no windows; what it holds is every received play until the archive has it on disk, so with a flush
/// interval longer than the test it holds all of them when SIGTERM comes. It stops within the grace period with
/// exit code 0 and a clean log, writes every play it appended to disk first, and hands back every play with a valid
/// playedAt (the rest were dead-lettered and acknowledged). Started again, it gets exactly those back, archives
/// them and acknowledges them all (it hands none back at its own stop). The archive then holds every play twice,
/// and replays to exactly the example's co-plays.
/// </summary>
[Collection(StopCollection.Name)]
public sealed class SigtermIngestTests(SharedEmulator emulator)
{
    /// <summary>The example's 3,000 records less the 5 without a valid playedAt, which are dead-lettered, not archived.</summary>
    private const int PlaysWithAPlayedAt = 2995;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GivenEveryPlayHeldForTheArchive_WhenTheIngestStageGetsSigterm_ThenItStopsCleanlyInTimeAndOnceStartedAgainArchivesAndAcknowledgesEveryOne()
    {
        var example = MovedExample.EndingNow();
        var topics = new StageTopics(emulator);
        using PubSubConnection connection = emulator.Connect();
        await topics.CreateAsync(connection);
        using var temp = new TempDirectory();
        string archive = temp.Combine("archive");
        string[] ingest = ["run", "--stage", "ingest", .. topics.Arguments(), .. StageSettings.Common(), $"--Archive:ParquetDir={archive}"];
        string archivedAll = $"Archive: stopped with {PlaysWithAPlayedAt} of the {PlaysWithAPlayedAt} plays appended by this run on disk";

        using (StageProcess first = await StageProcess.StartAsync("the ingest stage", [.. ingest, "--Archive:FlushMs=60000"]))
        {
            await Messages.PublishAsync(connection, topics.Plays, example.Plays);
            await Eventually.HoldsAsync(async () => await first.MetricAsync("lt_plays_total") == example.Plays.Count, Patience, "every play to be counted", first.Process);
            Assert.Equal(0, await first.MetricAsync("lt_plays_archived_total"));

            var (stopped, _) = await first.TerminateAsync();
            Assert.Contains(archivedAll, stopped.Stdout, StringComparison.Ordinal);
            Assert.Contains($"stopped: {PlaysWithAPlayedAt} unacknowledged messages handed back for redelivery", stopped.Stdout, StringComparison.Ordinal);
        }

        using (StageProcess second = await StageProcess.StartAsync("the restarted ingest stage", ingest))
        {
            await Eventually.HoldsAsync(async () => await second.MetricAsync("lt_plays_archived_total") == PlaysWithAPlayedAt, Patience, "the plays that came back to be archived", second.Process);
            // Acknowledged on the loop's next look at the archive, a tenth of a second after the flush.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(PlaysWithAPlayedAt, await second.MetricAsync("lt_plays_total"));

            var (stopped, _) = await second.TerminateAsync();
            Assert.Contains(archivedAll, stopped.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("handed back", stopped.Stdout, StringComparison.Ordinal);
        }

        string replayed = temp.Combine("replayed");
        LtResult replay = await Lt.RunAsync(["replay", "--input", archive, "--output", replayed, $"--Geo:CityDb={Lt.RequireRealCityDb()}"]);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(replayed, "summary.json")));
        Assert.Equal(2 * PlaysWithAPlayedAt, summary.RootElement.GetProperty("inputRecords").GetInt64());
        Assert.Equal(string.Concat(example.CoPlays.Select(row => row + "\n")), File.ReadAllText(Path.Combine(replayed, "coplays.jsonl")));
    }
}
