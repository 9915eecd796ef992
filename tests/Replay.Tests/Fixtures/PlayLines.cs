namespace ListeningTogether.Replay.Tests.Fixtures;

/// <summary>Hand-made play records for the MaxMind test City database.</summary>
public static class PlayLines
{
    /// <summary>London, GB (geoname 2643743, 51.5142, -0.0931, accuracy 10 km) in GeoIP2-City-Test.</summary>
    public const string LondonIp = "81.2.69.142";

    /// <summary>Linköping, SE (geoname 2694762, 58.4167, 15.6167, accuracy 76 km) in GeoIP2-City-Test.</summary>
    public const string LinkopingIp = "89.160.20.112";

    /// <summary>Milton, US (geoname 5803556, 47.2513, -122.3149, accuracy 22 km) in GeoIP2-City-Test.</summary>
    public const string MiltonIp = "216.160.83.56";

    /// <summary>Haversine London-Linköping on R = 6371.0088 km as DESIGN.md writes it, in its shortest round-trip form.</summary>
    public const string LondonLinkopingKm = "1257.7273632170488";

    /// <summary>A play record; <paramref name="playedAt"/> is raw JSON (a quoted string or an integer).</summary>
    public static string Play(string eventId, string trackId, string ip, string playedAt, string? userId = null) =>
        "{\"eventId\":\"" + eventId + "\",\"trackId\":\"" + trackId + "\""
        + (userId is null ? "" : ",\"userId\":\"" + userId + "\"")
        + ",\"ip\":\"" + ip + "\",\"playedAt\":" + playedAt + "}";

    /// <summary>The JSONL co-play line of London and Linköping, with its line end.</summary>
    public static string LondonLinkopingLine(string windowStart, string trackId, long plays, long locations) =>
        "{\"windowStart\":\"" + windowStart + "\",\"trackId\":\"" + trackId + "\",\"plays\":" + plays + ",\"locations\":" + locations
        + ",\"a\":{\"geonameId\":2643743,\"city\":\"London\",\"country\":\"GB\",\"lat\":51.5142,\"lon\":-0.0931}"
        + ",\"b\":{\"geonameId\":2694762,\"city\":\"Linköping\",\"country\":\"SE\",\"lat\":58.4167,\"lon\":15.6167}"
        + ",\"distanceKm\":" + LondonLinkopingKm + "}\n";
}
