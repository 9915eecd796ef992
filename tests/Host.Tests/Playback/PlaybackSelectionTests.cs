using System.Globalization;
using System.Text;
using System.Text.Json;
using ListeningTogether.Abstractions;
using ListeningTogether.Abstractions.Options;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Fixtures;
using ListeningTogether.Host.Tests.Web;
using ListeningTogether.Pipeline.Windowing;
using ListeningTogether.Replay;
using ListeningTogether.Replay.Output.Results;
using static ListeningTogether.Host.Tests.Playback.PlaybackFiles;

namespace ListeningTogether.Host.Tests.Playback;

/// <summary>Playback shows what the live site would: <see cref="ViewerSelection"/> per window, in window order.</summary>
public sealed class PlaybackSelectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task GivenWindowsWithMoreCoPlaysThanTheCap_WhenPlayedBack_ThenEachWindowShowsWhatViewerSelectionChooses()
    {
        // Half-second windows share their second's budget of 3; some windows have fewer co-plays than the cap.
        CoPlay[] coPlays = [.. Enumerable.Range(0, 240).SelectMany(w => Window(At(0) + (w * 500L), w % 7, $"w{w}-"))];
        string day = await ReplayOutputAsync(_temp.Combine("day"), coPlays);
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day), ("Pipeline:MaxPerSecond", "3"), ("Pipeline:WindowMs", "500"));

        JsonElement answer = await site.CoPlaysAsync(At(0), At(2));

        Assert.Equal(Expected(coPlays, maxPerSecond: 3, windowMs: 500), PlaybackSite.Windows(answer).Select(w => $"{w.WindowStart} {string.Join(",", w.Tracks)}"));
    }

    [Fact]
    public async Task GivenWindowsWhoseCoPlaysTieOnDistanceAndPlays_WhenPlayedBack_ThenTrackIdsDecideAsInViewerSelection()
    {
        // Per window: three tied at the top, two tied below them on distance but not plays, and a far one in a window of its own.
        CoPlay[] coPlays = [.. Enumerable.Range(0, 90).SelectMany(w => new[]
        {
            CoPlay(At(0) + (w * 1000L), $"z{w}", 5000, 3),
            CoPlay(At(0) + (w * 1000L), $"b{w}", 5000, 3),
            CoPlay(At(0) + (w * 1000L), $"m{w}", 5000, 3),
            CoPlay(At(0) + (w * 1000L), $"c{w}", 4000, 9),
            CoPlay(At(0) + (w * 1000L), $"a{w}", 4000, 2),
        }.Take(1 + (w % 5)))];
        string day = await ReplayOutputAsync(_temp.Combine("day"), coPlays);
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day), ("Pipeline:MaxPerSecond", "2"));

        JsonElement answer = await site.CoPlaysAsync(At(0), At(2));

        Assert.Equal(Expected(coPlays, maxPerSecond: 2, windowMs: 1000), PlaybackSite.Windows(answer).Select(w => $"{w.WindowStart} {string.Join(",", w.Tracks)}"));
        Assert.Equal([180, 90], PlaybackSite.Counts(answer));
    }

    [Fact]
    public async Task GivenTheReplayOutputOfTheCoPlayExamples_WhenPlayedBack_ThenTheWindowsAreTheViewerRuleOverExpectedJsonl()
    {
        string output = _temp.Combine("examples");
        Directory.CreateDirectory(output);
        using (GeoDatabases geo = GeoDatabases.Open(new GeoOptions { CityDb = TestData.RealCityDb }))
        {
            await new ReplayJob(new ReplayRequest([TestData.Example("plays.jsonl")], output, 1000, 100, 250, geo.Cities, geo.AnonymousIps, null, TimeProvider.System))
                .RunAsync(CancellationToken.None);
        }

        List<CoPlay> expected = [.. File.ReadLines(TestData.Example("expected.jsonl")).Select(Parse)];
        long first = expected.Min(c => c.WindowStartMs) / 60_000 * 60_000;
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", output), ("Pipeline:MaxPerSecond", "2"));

        JsonElement answer = await site.CoPlaysAsync(first, first + 3_600_000);

        Assert.Equal(Expected(expected, maxPerSecond: 2, windowMs: 1000), PlaybackSite.Windows(answer).Select(w => $"{w.WindowStart} {string.Join(",", w.Tracks)}"));
        Assert.Equal(expected.Count, PlaybackSite.Counts(answer).Sum(c => c ?? 0));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>ViewerSelection over the co-plays in window order, as "windowStart track,track,…" of the windows that show any.</summary>
    private static List<string> Expected(IEnumerable<CoPlay> coPlays, int maxPerSecond, int windowMs)
    {
        var selection = new ViewerSelection(maxPerSecond, windowMs);
        var lines = new List<string>();
        foreach (var window in coPlays.GroupBy(c => c.WindowStartMs).OrderBy(g => g.Key))
        {
            var shown = selection.Select(window.Key, [.. window.OrderBy(c => c.TrackId, StringComparer.Ordinal)]);
            if (shown.Count > 0)
            {
                string start = DateTimeOffset.FromUnixTimeMilliseconds(window.Key).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                lines.Add($"{start} {string.Join(",", shown.Select(c => c.TrackId))}");
            }
        }

        return lines;
    }

    private static CoPlay Parse(string line) =>
        CoPlayJsonlReader.TryParse(Encoding.UTF8.GetBytes(line), out CoPlay? coPlay, out string? error) ? coPlay : throw new InvalidDataException(error);
}
