using System.Globalization;
using System.Text;
using ListeningTogether.Abstractions;

namespace ListeningTogether.Host.Tests.Fixtures;

/// <summary>Named places of the MaxMind test City database and play records located there.</summary>
public static class Plays
{
    public const string LondonIp = "81.2.69.142";
    public const string LinkopingIp = "89.160.20.112";
    public const string MiltonIp = "216.160.83.56";

    public static readonly Location London = new(2643743, "London", "GB", 51.5142, -0.0931);
    public static readonly Location Linkoping = new(2694762, "Linköping", "SE", 58.4167, 15.6167);

    /// <summary>Haversine London-Linköping on R = 6371.0088 km, as DESIGN.md writes it.</summary>
    public const double LondonLinkopingKm = 1257.7273632170488;

    public static string At(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A play record as UTF-8 JSON; extra is raw JSON appended to the object (", \"privateSession\":true").</summary>
    public static byte[] Play(string eventId, string trackId, string? ip, long playedAtMs, string extra = "") =>
        Encoding.UTF8.GetBytes(
            "{\"eventId\":\"" + eventId + "\",\"trackId\":\"" + trackId + "\",\"userId\":\"u-" + eventId + "\",\"ip\":"
            + (ip is null ? "null" : "\"" + ip + "\"") + ",\"playedAt\":\"" + At(playedAtMs) + "\"" + extra + "}");
}
