using System.Text.Json.Serialization;

namespace ListeningTogether.LoadTool;

/// <summary>The fields of a pushed co-play the load tool measures.</summary>
internal sealed record ReceivedCoPlay(
    [property: JsonPropertyName("windowStart")] DateTimeOffset WindowStart,
    [property: JsonPropertyName("trackId")] string TrackId,
    [property: JsonPropertyName("pushedAtMs")] long PushedAtMs);
