using System.Net.Http.Json;
using System.Text.Json;
using ListeningTogether.Host.Tests.Web;

namespace ListeningTogether.Host.Tests.Playback;

/// <summary>The site on its <c>serve</c> composition root with playback settings, and its answers parsed.</summary>
internal static class PlaybackSite
{
    public static Task<SiteHost> StartAsync(params (string Key, string Value)[] settings) =>
        SiteHost.StartAsync(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    public static string Iso(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<JsonElement> CoPlaysAsync(this SiteHost site, long fromMs, long toMs)
    {
        using HttpResponseMessage response = await site.Http.GetAsync($"api/coplays?from={Iso(fromMs)}&to={Iso(toMs)}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The <c>minutes</c> counts of an answer, null where nothing is kept.</summary>
    public static int?[] Counts(JsonElement answer) =>
        [.. answer.GetProperty("minutes").EnumerateArray().Select(m => m.GetProperty("coPlays").ValueKind == JsonValueKind.Null ? (int?)null : m.GetProperty("coPlays").GetInt32())];

    /// <summary>The <c>windows</c> of an answer as (windowStart, track ids in order).</summary>
    public static (string WindowStart, string[] Tracks)[] Windows(JsonElement answer) =>
        [.. answer.GetProperty("windows").EnumerateArray().Select(w => (
            w.GetProperty("windowStart").GetString()!,
            w.GetProperty("coPlays").EnumerateArray().Select(c => c.GetProperty("trackId").GetString()!).ToArray()))];
}
