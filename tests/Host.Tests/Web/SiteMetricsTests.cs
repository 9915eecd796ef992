using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using static ListeningTogether.Host.Tests.Web.SitePlays;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Tests that scrape /metrics run alone: OpenTelemetry's meter listeners are process-wide, so the pipeline
/// instruments of several in-process hosts (same meter and instrument names) would be merged, or dropped when
/// another host's meter is disposed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics scraped from one in-process host at a time";
}

/// <summary>/metrics of <c>serve</c> in-process: the pipeline counters in Prometheus text.</summary>
[Collection(MetricsCollection.Name)]
public sealed class SiteMetricsTests
{
    [Fact]
    public async Task GivenTwoCoPlaysPushedToAViewer_WhenMetricsAreScraped_ThenTheCountersShowThem()
    {
        await using SiteHost site = await SiteHost.StartAsync();
        await using HubConnection viewer = site.Viewer();
        int pushed = 0;
        viewer.On<JsonElement>("CoPlays", items => Interlocked.Add(ref pushed, items.GetArrayLength()));
        await viewer.StartAsync();
        long second = SecondsAgo(10);
        await site.PublishAsync(
            Play("m1", "spotify:track:first", "u-1", London, second + 100),
            Play("m2", "spotify:track:first", "u-2", Linkoping, second + 200),
            Play("m3", "spotify:track:second", "u-3", Milton, second + 1100),
            Play("m4", "spotify:track:second", "u-4", Changchun, second + 1200),
            Play("m5", "spotify:track:second", "u-5", "10.1.2.3", second + 1300),
            WatermarkMover("m6"));
        await SiteHost.EventuallyAsync(() => Volatile.Read(ref pushed) == 2, "two co-plays pushed");

        string[] expected =
        [
            "lt_coplays_total{otel_scope_name=\"ListeningTogether\"} 2",
            "lt_coplays_pushed_total{otel_scope_name=\"ListeningTogether\"} 2",
            "lt_push_latency_seconds_count{otel_scope_name=\"ListeningTogether\"} 2",
            "lt_plays_total{otel_scope_name=\"ListeningTogether\",outcome=\"eligible\"} 5",
            "lt_plays_total{otel_scope_name=\"ListeningTogether\",outcome=\"ineligible\",reason=\"ip_not_public\"} 1",
        ];
        string metrics = await site.Http.GetStringAsync("/metrics");
        DateTime giveUp = DateTime.UtcNow + SiteHost.Patience;
        while (!expected.All(Lines(metrics).Contains) && DateTime.UtcNow < giveUp)
        {
            // The exporter answers from a cache for a moment after each scrape.
            await Task.Delay(100);
            metrics = await site.Http.GetStringAsync("/metrics");
        }

        string[] missing = [.. expected.Except(Lines(metrics))];
        Assert.True(missing.Length == 0, $"Missing: {string.Join(" | ", missing)}\nScraped: {string.Join(" | ", Lines(metrics).Where(l => l.StartsWith("lt_", StringComparison.Ordinal)))}");
        Assert.Contains("# TYPE lt_push_latency_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains(Lines(metrics), line => line.StartsWith("lt_watermark_delay_seconds{", StringComparison.Ordinal));
        Assert.Contains(Lines(metrics), line => line.StartsWith("lt_windows_open{", StringComparison.Ordinal));
    }

    /// <summary>The sample lines of a Prometheus text exposition without their optional timestamps.</summary>
    private static string[] Lines(string metrics) =>
        [.. metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ') is [var name, var value, ..] ? name + " " + value : l)];
}
