using System.Globalization;
using System.Text;

namespace ListeningTogether.Host.Tests.Web;

/// <summary>
/// Public addresses of the MaxMind test City database, each in a named city, and play records with a chosen user
/// id. Event times are whole seconds some way behind the real clock, so the serve pipeline windows them at once.
/// </summary>
internal static class SitePlays
{
    public const string London = "81.2.69.142";
    public const string LondonToo = "81.2.69.150";
    public const string Linkoping = "89.160.20.115";
    public const string Milton = "216.160.83.58";
    public const string Changchun = "175.16.199.10";
    public const string SanDiego = "214.78.120.5";
    public const string SanDiegoV6 = "2001:480:10::1";
    public const string Boxford = "2.125.160.217";

    /// <summary>The start of the whole second <paramref name="secondsAgo"/> seconds before now (epoch ms).</summary>
    public static long SecondsAgo(int secondsAgo) => ((TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000) - secondsAgo) * 1000;

    public static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    public static byte[] Play(string eventId, string trackId, string userId, string ip, long playedAtMs) =>
        Encoding.UTF8.GetBytes(
            "{\"eventId\":\"" + eventId + "\",\"trackId\":\"" + trackId + "\",\"userId\":\"" + userId + "\",\"ip\":\"" + ip
            + "\",\"playedAt\":\"" + DateTimeOffset.FromUnixTimeMilliseconds(playedAtMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            + "\"}");

    /// <summary>A play of another track at the current time: it moves the watermark past every earlier window.</summary>
    public static byte[] WatermarkMover(string eventId) => Play(eventId, "spotify:track:watermark", "u-watermark", Milton, Now);
}
