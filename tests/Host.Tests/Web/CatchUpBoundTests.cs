using System.Text.Json;
using ListeningTogether.Host.Web;
using Microsoft.AspNetCore.SignalR.Client;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// The catch-up a viewer gets on connecting is bounded: at most Site:MaxRecentCoPlays (200 by default) co-plays,
/// the newest, whatever Pipeline:MaxPerSecond times Site:RecentSeconds would allow.
/// </summary>
public sealed class CatchUpBoundTests
{
    [Theory]
    [InlineData(null, 200)]
    [InlineData("5", 5)]
    public async Task GivenMoreRecentCoPlaysThanTheBound_WhenAViewerConnects_ThenItGetsTheNewestUpToTheBoundOldestFirst(string? bound, int expected)
    {
        await using SiteHost site = await SiteHost.StartAsync(bound is null ? null : new Dictionary<string, string?> { ["Site:MaxRecentCoPlays"] = bound });
        long windowStartMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000;
        const int Shown = 1200;
        for (int second = 0; second < Shown / 20; second++)
        {
            site.Recent.Add(windowStartMs + (second * 1000L), [.. Enumerable.Range(second * 20, 20).Select(View)]);
        }

        await using HubConnection viewer = site.Viewer();
        var recent = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.On<JsonElement>("Recent", items => recent.TrySetResult(items));
        await viewer.StartAsync();
        JsonElement items = await recent.Task.WaitAsync(SiteHost.Patience);

        Assert.Equal(
            Enumerable.Range(Shown - expected, expected).Select(i => $"spotify:track:{i}"),
            items.EnumerateArray().Select(i => i.GetProperty("trackId").GetString()));
    }

    private static CoPlayView View(int i) => new(
        "2026-11-26T12:00:00.000Z",
        $"spotify:track:{i}",
        "A title of a usual length",
        "An artist",
        2,
        2,
        new PlaceView("London", "GB", 51.5, -0.1),
        new PlaceView("Linköping", "SE", 58.4, 15.6),
        1257.7);
}
