using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ListeningTogether.Replay.Report;

/// <summary>Text for the report: every untrusted string HTML-encoded, numbers and times in one invariant style.</summary>
internal static class Html
{
    // Letters of every script stay readable; markup characters, quotes and controls are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? text) => text is null ? "" : Encoder.Encode(text);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>An SVG coordinate: at most one decimal, invariant.</summary>
    public static string Coordinate(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Time(long unixMs, string format) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"2026-11-26 09:00:00 UTC".</summary>
    public static string DateTime(long unixMs) => Time(unixMs, "yyyy-MM-dd HH:mm:ss") + " UTC";

    /// <summary>"Osaka, JP"; a place without an English name shows its GeoNames id.</summary>
    public static string Place(Abstractions.Location place) =>
        Encode((place.City ?? $"GeoNames {place.GeonameId.ToString(CultureInfo.InvariantCulture)}") + (place.Country is null ? "" : ", " + place.Country));
}
