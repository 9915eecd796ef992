using System.Diagnostics;
using System.Net;
using ListeningTogether.EndToEnd.Fixtures;
using ListeningTogether.Faults.Tests.Fixtures;
using ListeningTogether.Tests.Shared;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace ListeningTogether.Faults.Tests.Backplane;

/// <summary>
/// Fault matrix, "Redis stopped, then started again": two <c>lt serve --stage site</c> replicas share the results
/// subscription on the Pub/Sub emulator and reach each other's viewers through the Redis backplane. While Redis is
/// down neither exits and both say in <c>/readyz</c> that push is not ready; the viewers stay connected or reconnect
/// by themselves; once Redis listens again, new co-plays reach every viewer within 10 s.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    /// <summary>How long Redis stays down: 10 s keeps the suite in its budget (DESIGN.md "Test budget"); the fault matrix asks for 20 s by hand.</summary>
    private const int OutageSeconds = 10;

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(OutageSeconds);
    private static readonly TimeSpan PushesResumeWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PublishEvery = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task GivenTwoSiteReplicasOnRedisWithViewers_WhenRedisStopsAndStartsAgain_ThenNeitherExitsViewersStayAndPushesResumeWithinTenSeconds()
    {
        await using PubSubEmulator emulator = await PubSubEmulator.StartAsync();
        var redis = new RedisServer();
        await redis.InitializeAsync();
        await using ResultsTopic results = await ResultsTopic.CreateAsync(emulator);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        int[] ports = [FreePorts.Next(), FreePorts.Next()];
        LtProcess[] replicas = [.. ports.Select(port => Lt.Start([
            "serve", "--stage", "site", $"--Urls=http://127.0.0.1:{port}",
            .. ResultsTopic.SiteArguments(emulator, $"site-{port}"),
            "--Push:Kind=Redis", $"--Push:Redis:ConnectionString=127.0.0.1:{redis.Port}"]))];
        var viewers = new List<SiteViewer>();
        try
        {
            foreach (int port in ports)
            {
                await Eventually.HoldsAsync(async () => (await ReadinessAsync(http, port)).Status == HttpStatusCode.OK, Patience, $"/readyz of the replica on port {port} to answer 200", replicas);
                viewers.Add(await SiteViewer.ConnectAsync($"viewer of the replica on port {port}", port));
            }

            // The backplane subscribes in the background: probe until pushes cross from each replica to the other's viewers.
            await PublishUntilEveryViewerReceivesAsync(results, "probe", Patience, viewers, replicas);

            await redis.StopAsync();
            var down = Stopwatch.StartNew();
            using var publishing = new CancellationTokenSource();
            Task duringOutage = PublishWhileAsync(results, "outage", publishing.Token);
            foreach (int port in ports)
            {
                await Eventually.HoldsAsync(
                    async () => (await ReadinessAsync(http, port)) is { Status: HttpStatusCode.ServiceUnavailable } r && r.Body.Contains("push: Push:Redis:ConnectionString", StringComparison.Ordinal),
                    Outage,
                    $"/readyz of the replica on port {port} to answer 503 naming push while Redis is down",
                    replicas);
            }

            await Eventually.HoldsAsync(() => Task.FromResult(down.Elapsed >= Outage), Outage + Patience, "the outage to last its time", replicas);
            await publishing.CancelAsync();
            await duringOutage;

            await redis.StartAsync();
            TimeSpan resumed = await PublishUntilEveryViewerReceivesAsync(results, "after", Patience, viewers, replicas);
            output.WriteLine($"Redis down {OutageSeconds} s; pushes reached every viewer {resumed.TotalSeconds:0.0} s after it listened again; {string.Join("; ", viewers)}");
            Assert.True(
                resumed <= PushesResumeWithin,
                $"Pushes reached every viewer {resumed.TotalSeconds:0.0} s after Redis listened again (at most {PushesResumeWithin.TotalSeconds:0} s). {string.Join("; ", viewers)}");
            foreach (int port in ports)
            {
                await Eventually.HoldsAsync(async () => (await ReadinessAsync(http, port)).Status == HttpStatusCode.OK, PushesResumeWithin, $"/readyz of the replica on port {port} to answer 200 again", replicas);
            }

            // From now on every co-play reaches every viewer, whichever replica read it.
            string[] expected = [.. Enumerable.Range(0, 20).Select(i => $"spotify:track:{i:00}")];
            foreach (string track in expected)
            {
                await results.PublishAsync(track);
            }

            await Eventually.HoldsAsync(() => Task.FromResult(viewers.All(v => expected.All(v.Received))), Patience, "every viewer to receive every co-play published after the outage", replicas);
            Assert.All(viewers, v => Assert.Equal(expected, v.ReceivedStartingWith("spotify:track:")));
            Assert.All(viewers, v => Assert.True(v.State == HubConnectionState.Connected && v.Closed == 0, v.ToString()));

            foreach (LtProcess replica in replicas)
            {
                await replica.SignalAsync("TERM");
                LtResult stopped = await replica.WaitAsync(Patience);
                Assert.True(stopped.ExitCode == 0, stopped.ToString());
            }
        }
        finally
        {
            foreach (SiteViewer viewer in viewers)
            {
                await viewer.DisposeAsync();
            }

            foreach (LtProcess replica in replicas)
            {
                replica.Dispose();
            }

            await redis.DisposeAsync();
        }
    }

    /// <summary>
    /// Publishes a co-play of a new track named <c>PREFIX:N</c> every <see cref="PublishEvery"/> until every viewer has
    /// received one of them; returns how long that took.
    /// </summary>
    private static async Task<TimeSpan> PublishUntilEveryViewerReceivesAsync(ResultsTopic results, string prefix, TimeSpan patience, IReadOnlyList<SiteViewer> viewers, LtProcess[] replicas)
    {
        var clock = Stopwatch.StartNew();
        var published = new List<string>();
        return await Eventually.HoldsAsync(
            async () =>
            {
                if (published.Any(track => viewers.All(v => v.Received(track))))
                {
                    return true;
                }

                string track = $"{prefix}:{published.Count}";
                await results.PublishAsync(track);
                published.Add(track);
                await Task.Delay(PublishEvery);
                return false;
            },
            patience,
            $"a co-play to reach every viewer ({string.Join("; ", viewers)})",
            replicas);
    }

    private static async Task PublishWhileAsync(ResultsTopic results, string prefix, CancellationToken stop)
    {
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            await results.PublishAsync($"{prefix}:{n}");
            try
            {
                await Task.Delay(PublishEvery, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(HttpClient http, int port)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
