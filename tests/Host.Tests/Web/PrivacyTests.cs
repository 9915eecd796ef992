using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using static ListeningTogether.Host.Tests.Web.SitePlays;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// DESIGN.md "Privacy": pushes and metric labels never carry a user id or an IP address, pushes round coordinates
/// to 0.1 degree, and the dead-letter store holds input data but never user ids. Plays with distinctive user ids
/// and addresses are published to the in-process site; everything that leaves it is captured raw.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class PrivacyTests : IDisposable
{
    private static readonly string[] Addresses = [London, LondonToo, Linkoping, Milton, Changchun, SanDiego, SanDiegoV6, Boxford];

    private readonly TempDirectory _temp = new();
    private readonly ConcurrentQueue<(string Method, string Json)> _pushes = new();

    public void Dispose() => _temp.Dispose();

    private string DeadLetterPath => _temp.Combine("dead-letters.jsonl");

    [GeneratedRegex(@"^-?\d+(\.\d)?$")]
    private static partial Regex TenthOfADegree();

    private Task<SiteHost> StartSiteAsync() =>
        SiteHost.StartAsync(new Dictionary<string, string?> { ["DeadLetter:Path"] = DeadLetterPath });

    private HubConnection Record(HubConnection viewer)
    {
        foreach (string method in new[] { "CoPlays", "Recent", "Stats" })
        {
            viewer.On<JsonElement>(method, payload => _pushes.Enqueue((method, payload.GetRawText())));
        }

        return viewer;
    }

    private string[] Pushed(string method) => [.. _pushes.Where(p => p.Method == method).Select(p => p.Json)];

    private int CoPlaysPushed => Pushed("CoPlays").Sum(json => JsonDocument.Parse(json).RootElement.GetArrayLength());

    /// <summary>Four tracks, each played in one second in far-apart places by users "u-secret-…"; every address is used.</summary>
    private static (byte[][] Plays, string[] UserIds) CoPlayingPlays()
    {
        long second = SecondsAgo(12);
        (string Track, string Ip)[][] groups =
        [
            [("spotify:track:privacy1", London), ("spotify:track:privacy1", Linkoping), ("spotify:track:privacy1", LondonToo)],
            [("spotify:track:privacy2", Milton), ("spotify:track:privacy2", Changchun)],
            [("spotify:track:privacy3", SanDiego), ("spotify:track:privacy3", Boxford)],
            [("spotify:track:privacy4", SanDiegoV6), ("spotify:track:privacy4", London)],
        ];
        var plays = new List<byte[]>();
        var userIds = new List<string>();
        for (int g = 0; g < groups.Length; g++)
        {
            for (int p = 0; p < groups[g].Length; p++)
            {
                string userId = $"u-secret-{g}{p}-7f3a9c";
                userIds.Add(userId);
                plays.Add(Play($"privacy-{g}-{p}", groups[g][p].Track, userId, groups[g][p].Ip, second + (g * 1000) + (p * 10) + 5));
            }
        }

        return ([.. plays], [.. userIds]);
    }

    /// <summary>Records that go to the dead-letter store (one per dead-lettered reason), each with a distinctive user id.</summary>
    private static (byte[][] Records, string[] UserIds) DeadLetteredRecords()
    {
        string at = DateTimeOffset.FromUnixTimeMilliseconds(SecondsAgo(12)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string[] records =
        [
            "{\"eventId\":\"dl-1\",\"trackId\":\"t\",\"userId\":\"u-secret-dl-malformed\",\"ip\":\"" + London + "\",\"playedAt\":\"" + at + "\"",
            "{\"eventId\":\"\",\"trackId\":\"t\",\"userId\":\"u-secret-dl-event\",\"ip\":\"" + London + "\",\"playedAt\":\"" + at + "\"}",
            "{\"eventId\":\"dl-3\",\"trackId\":\"\",\"userId\":\"u-secret-dl-track\",\"ip\":\"" + London + "\",\"playedAt\":\"" + at + "\"}",
            "{\"eventId\":\"dl-4\",\"trackId\":\"t\",\"userId\":\"u-secret-dl-time\",\"ip\":\"" + London + "\",\"playedAt\":\"yesterday\"}",
            "{\"eventId\":\"dl-5\",\"trackId\":\"t\",\"userId\":\"u-secret-dl-ip\",\"ip\":\"81.002.69.142\",\"playedAt\":\"" + at + "\"}",
        ];
        return ([.. records.Select(Encoding.UTF8.GetBytes)], ["u-secret-dl-malformed", "u-secret-dl-event", "u-secret-dl-track", "u-secret-dl-time", "u-secret-dl-ip"]);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task GivenPlaysWithUserIdsAndAddressesThatCoPlay_WhenPushedToViewersAndScraped_ThenNoPushOrMetricCarriesAUserIdOrAnAddress()
    {
        string metrics;
        string[] userIds;
        await using (SiteHost site = await StartSiteAsync())
        {
            await using HubConnection early = Record(site.Viewer());
            await early.StartAsync();
            (byte[][] plays, userIds) = CoPlayingPlays();
            await site.PublishAsync(plays);
            await site.PublishAsync(WatermarkMover("privacy-watermark"));
            await SiteHost.EventuallyAsync(() => CoPlaysPushed == 4, "four co-plays pushed");
            await SiteHost.EventuallyAsync(() => Pushed("Stats").Any(s => s.Contains("privacy", StringComparison.Ordinal)), "a Stats push listing the tracks");
            await using HubConnection late = Record(site.Viewer());
            await late.StartAsync();
            await SiteHost.EventuallyAsync(() => Pushed("Recent").Any(r => r != "[]"), "Recent with the co-plays");
            metrics = await site.Http.GetStringAsync("/metrics");
            Assert.Equal(userIds.Length + 1, site.Counters.Eligible);
        }

        string[] everything = [.. _pushes.Select(p => p.Json), metrics];
        Assert.Contains("lt_coplays_pushed_total", metrics, StringComparison.Ordinal);
        Assert.All(everything, text =>
        {
            Assert.DoesNotContain("u-secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("userId", text, StringComparison.OrdinalIgnoreCase);
            Assert.All(userIds, userId => Assert.DoesNotContain(userId, text, StringComparison.Ordinal));
            Assert.All(Addresses, ip => Assert.DoesNotContain(ip, text, StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public async Task GivenCoPlaysOfPlacesWithPreciseCoordinates_WhenPushed_ThenEveryCoordinateIsAMultipleOfATenthOfADegree()
    {
        await using (SiteHost site = await StartSiteAsync())
        {
            await using HubConnection early = Record(site.Viewer());
            await early.StartAsync();
            await site.PublishAsync(CoPlayingPlays().Plays);
            await site.PublishAsync(WatermarkMover("privacy-watermark"));
            await SiteHost.EventuallyAsync(() => CoPlaysPushed == 4, "four co-plays pushed");
            await using HubConnection late = Record(site.Viewer());
            await late.StartAsync();
            await SiteHost.EventuallyAsync(() => Pushed("Recent").Any(r => r != "[]"), "Recent with the co-plays");
        }

        JsonElement[] items = [.. Pushed("CoPlays").Concat(Pushed("Recent")).SelectMany(json => JsonDocument.Parse(json).RootElement.EnumerateArray())];
        Assert.Equal(8, items.Length);
        Assert.All(items, item =>
        {
            foreach (string end in new[] { "a", "b" })
            {
                Assert.Equal(["city", "country", "lat", "lon"], item.GetProperty(end).EnumerateObject().Select(p => p.Name));
                Assert.Matches(TenthOfADegree(), item.GetProperty(end).GetProperty("lat").GetRawText());
                Assert.Matches(TenthOfADegree(), item.GetProperty(end).GetProperty("lon").GetRawText());
            }
        });
    }

    [Fact]
    public async Task GivenDeadLetteredRecordsWithUserIds_WhenWrittenToDeadLetterPath_ThenTheFileHoldsEveryRecordButNoUserId()
    {
        (byte[][] records, string[] userIds) = DeadLetteredRecords();
        await using (SiteHost site = await StartSiteAsync())
        {
            await site.PublishAsync(records);
            await SiteHost.EventuallyAsync(() => site.Transport.Acked == records.Length, "every record counted and acknowledged");
        }

        string[] lines = ReadShared(DeadLetterPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            ["malformed", "invalid_event_id", "invalid_track_id", "invalid_played_at", "ip_invalid"],
            lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("reason").GetString()));
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain("u-secret", line, StringComparison.Ordinal);
            Assert.All(userIds, userId => Assert.DoesNotContain(userId, line, StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData("us\\u0065rId")]
    [InlineData("\\u0075\\u0073\\u0065\\u0072\\u0049\\u0064")]
    [InlineData("user\\u0049d")]
    [InlineData("\\u0075serId")]
    public async Task GivenATruncatedRecordWhoseUserIdNameIsEscaped_WhenDeadLettered_ThenTheFileHoldsNoUserId(string escapedName)
    {
        byte[] record = Encoding.UTF8.GetBytes("{\"eventId\":\"dl-escaped\",\"" + escapedName + "\":\"u-secret-escaped\",\"ip\":\"" + London + "\",\"trackId\":\"t\"");
        await using (SiteHost site = await StartSiteAsync())
        {
            await site.PublishAsync(record);
            await SiteHost.EventuallyAsync(() => site.Transport.Acked == 1, "the record counted and acknowledged");
        }

        string line = ReadShared(DeadLetterPath).TrimEnd('\n');
        Assert.Equal("malformed", JsonDocument.Parse(line).RootElement.GetProperty("reason").GetString());
        Assert.DoesNotContain("u-secret", line, StringComparison.Ordinal);
    }
}
