using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ListeningTogether.Host.Configuration;
using ListeningTogether.Host.Tests.Web;
using static ListeningTogether.Host.Tests.Playback.PlaybackFiles;

namespace ListeningTogether.Host.Tests.Playback;

/// <summary>DESIGN.md "Playback (time travel)": the site's read API over replay outputs and live minute files.</summary>
public sealed class PlaybackApiTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task GivenNothingKept_WhenTheRangeIsAsked_ThenItIsAnEmptyRangeNotAnError()
    {
        await using SiteHost site = await PlaybackSite.StartAsync();

        using HttpResponseMessage response = await site.Http.GetAsync("api/coplays/range");
        string body = await response.Content.ReadAsStringAsync();

        // Not a 404: a page asks at every load, and a browser logs every failed request as a console error.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"from":null,"to":null}""", body);
    }

    [Fact]
    public async Task GivenLiveMinuteFilesWithAGap_WhenTheRangeIsRead_ThenTheMissingMinuteCountsNullAndWindowsComeInOrder()
    {
        string live = _temp.Combine("results");
        await LiveAsync(live, [.. Window(At(0, 1), 2), .. Window(At(0, 0), 1, "u"), .. Window(At(2, 30), 1)]);
        await using SiteHost site = await PlaybackSite.StartAsync(("Results:ParquetDir", live));

        JsonElement range = await site.Http.GetFromJsonAsync<JsonElement>("api/coplays/range");
        JsonElement answer = await site.CoPlaysAsync(At(0), At(3));

        Assert.Equal("2026-11-26T14:00:00Z", range.GetProperty("from").GetString());
        Assert.Equal("2026-11-26T14:03:00Z", range.GetProperty("to").GetString());
        Assert.Equal([3, null, 1], PlaybackSite.Counts(answer));
        Assert.Equal(
            [("2026-11-26T14:00:00.000Z", ["u0"]), ("2026-11-26T14:00:01.000Z", ["t0", "t1"]), ("2026-11-26T14:02:30.000Z", ["t0"])],
            PlaybackSite.Windows(answer).Select(w => (w.WindowStart, w.Tracks)).ToArray(),
            WindowComparer.Instance);
        Assert.Equal("2026-11-26T14:00:00Z", answer.GetProperty("from").GetString());
        Assert.Equal("2026-11-26T14:03:00Z", answer.GetProperty("to").GetString());
    }

    [Fact]
    public async Task GivenAMergedDayHourFoldersAndLiveFiles_WhenARangeSpansThemAll_ThenReplayOutputsWinInTheirOrderThenLive()
    {
        // First listed: a merged day covering 14:00 to 14:02 (14:01 has no co-plays).
        string day = await ReplayOutputAsync(_temp.Combine("day"), [.. Window(At(0, 5), 2, "day"), .. Window(At(2, 5), 1, "day")]);

        // Second: a folder of hour outputs; "a" covers 14:01, which the day covers first, "b" 14:04, which is its own.
        string hours = _temp.Combine("hours");
        await ReplayOutputAsync(Path.Combine(hours, "a"), Window(At(1, 5), 7, "hour"));
        await ReplayOutputAsync(Path.Combine(hours, "b"), Window(At(4, 0), 3, "hour"));

        // Live: 14:02 loses to the day, 14:03 is its own.
        string live = _temp.Combine("results");
        await LiveAsync(live, [.. Window(At(2, 5), 5, "live"), .. Window(At(3, 0), 4, "live")]);
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day), ("Playback:Paths:1", hours), ("Results:ParquetDir", live));

        JsonElement answer = await site.CoPlaysAsync(At(0), At(6));

        Assert.Equal([2, 0, 1, 4, 3, null], PlaybackSite.Counts(answer));
        var windows = PlaybackSite.Windows(answer);
        Assert.Equal(["day0", "day1"], windows[0].Tracks);
        Assert.Equal(["day0"], windows.Single(w => w.WindowStart == "2026-11-26T14:02:05.000Z").Tracks);
        Assert.All(windows.Single(w => w.WindowStart == "2026-11-26T14:03:00.000Z").Tracks, t => Assert.StartsWith("live", t, StringComparison.Ordinal));
        Assert.All(windows.Single(w => w.WindowStart == "2026-11-26T14:04:00.000Z").Tracks, t => Assert.StartsWith("hour", t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenTheReplayJobsLayout_WhenItsRootIsThePath_ThenTheMergedDayComesBeforeItsHours()
    {
        // The Jobs write DAY/hour=HH/ per hour and DAY/day/ after the merge (deploy/base/replay.yaml).
        string root = _temp.Combine("replay");
        await ReplayOutputAsync(Path.Combine(root, "2026-11-26", "hour=14"), [.. Window(At(0), 4, "hour"), .. Window(At(1), 1, "hour")]);
        await ReplayOutputAsync(Path.Combine(root, "2026-11-26", "day"), Window(At(0), 2, "day"));
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", root));

        JsonElement answer = await site.CoPlaysAsync(At(0), At(2));

        Assert.Equal([2, 1], PlaybackSite.Counts(answer));
        Assert.Equal(["day0", "day1"], PlaybackSite.Windows(answer)[0].Tracks);
    }

    [Fact]
    public async Task GivenKeptCoPlays_WhenExactlyAnHourIsAsked_ThenItIsServedAndAnHourAndASecondIsRefused()
    {
        string day = await ReplayOutputAsync(_temp.Combine("day"), Window(At(30), 1));
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day));

        JsonElement hour = await site.CoPlaysAsync(At(0), At(60));
        using HttpResponseMessage longer = await site.Http.GetAsync($"api/coplays?from={PlaybackSite.Iso(At(0))}&to={PlaybackSite.Iso(At(60, 1))}");

        Assert.Equal(60, hour.GetProperty("minutes").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        Assert.Contains("one hour", await longer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2026-11-26T14:00:00Z", "required")]
    [InlineData("to=2026-11-26T14:00:00Z", "required")]
    [InlineData("from=yesterday&to=2026-11-26T14:00:00Z", "'from' is not")]
    [InlineData("from=2026-11-26T14:00:00Z&to=26/11/2026", "'to' is not")]
    [InlineData("from=2026-11-26T14:10:00Z&to=2026-11-26T14:00:00Z", "after")]
    [InlineData("from=2026-11-26T14:00:00.900Z&to=2026-11-26T14:00:00.950Z", "after")]
    [InlineData("from=../../etc/passwd&to=2026-11-26T14:00:00Z", "'from' is not")]
    [InlineData("from=..%2F..%2Fetc%2Fpasswd&to=2026-11-26T14:00:00Z", "'from' is not")]
    [InlineData("from=%2Fetc%2Fpasswd&to=2026-11-26T14:00:00Z", "'from' is not")]
    [InlineData("from=2026-11-26T14:00:00Z&to=2026-11-26T14:05:00Z%2F..%2F..%2Fcoplays.parquet", "'to' is not")]
    [InlineData("from=C:%5CWindows%5Cwin.ini&to=2026-11-26T14:00:00Z", "'from' is not")]
    public async Task GivenABadRangeOrPathLikeText_WhenAsked_ThenItIs400WithAReason(string query, string reason)
    {
        string day = await ReplayOutputAsync(_temp.Combine("day"), Window(At(0), 1));
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day));

        using HttpResponseMessage response = await site.Http.GetAsync("api/coplays?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenKeptCoPlays_WhenARangeWhollyOutsideIsAsked_ThenItIs404()
    {
        string day = await ReplayOutputAsync(_temp.Combine("day"), Window(At(0), 1));
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day));

        using HttpResponseMessage after = await site.Http.GetAsync($"api/coplays?from={PlaybackSite.Iso(At(1))}&to={PlaybackSite.Iso(At(30))}");
        using HttpResponseMessage before = await site.Http.GetAsync($"api/coplays?from={PlaybackSite.Iso(At(-30))}&to={PlaybackSite.Iso(At(0))}");

        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GivenALiveMinuteServedOnce_WhenItsFileIsRewrittenWithMore_ThenTheNextAnswerHasTheNewCoPlays()
    {
        string live = _temp.Combine("results");
        await LiveAsync(live, Window(At(0, 1), 1));
        await using SiteHost site = await PlaybackSite.StartAsync(("Results:ParquetDir", live));
        Assert.Equal([1], PlaybackSite.Counts(await site.CoPlaysAsync(At(0), At(1))));

        await LiveAsync(live, Window(At(0, 2), 2, "later"));

        Assert.Equal([3], PlaybackSite.Counts(await site.CoPlaysAsync(At(0), At(1))));
    }

    [Fact]
    public async Task GivenAPlaybackPathThatIsNoFolder_WhenTheSiteStarts_ThenItStopsNamingTheSetting()
    {
        var e = await Assert.ThrowsAsync<SettingsException>(() => PlaybackSite.StartAsync(("Playback:Paths:0", _temp.Combine("missing"))));

        Assert.Contains("Playback:Paths", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenACapOfTwoRequestsAMinute_WhenAClientAsksAThirdTime_ThenItIs429ProblemDetails()
    {
        string day = await ReplayOutputAsync(_temp.Combine("day"), Window(At(0), 1));
        await using SiteHost site = await PlaybackSite.StartAsync(("Playback:Paths:0", day), ("Playback:MaxRequestsPerMinutePerAddress", "2"));

        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage ok = await site.Http.GetAsync("api/coplays/range");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using HttpResponseMessage refused = await site.Http.GetAsync($"api/coplays?from={PlaybackSite.Iso(At(0))}&to={PlaybackSite.Iso(At(1))}");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Compares (windowStart, tracks) pairs by value.</summary>
    private sealed class WindowComparer : IEqualityComparer<(string, string[])>
    {
        public static readonly WindowComparer Instance = new();

        public bool Equals((string, string[]) x, (string, string[]) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((string, string[]) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
