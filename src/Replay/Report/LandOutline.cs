namespace ListeningTogether.Replay.Report;

/// <summary>
/// Natural Earth's land at 1:110m as SVG path data on a quarter-degree equirectangular grid (x = (lon + 180) × 4,
/// y = (90 − lat) × 4): the embedded <c>land-110m.path</c>, made from npm <c>world-atlas</c> by
/// <c>scripts/report-land.mjs</c> and committed, so the report draws its map with no request and the build needs no Node.js.
/// </summary>
internal static class LandOutline
{
    public const double UnitsPerDegree = 4;

    private static readonly Lazy<string> Data = new(Load);

    public static string PathData => Data.Value;

    private static string Load()
    {
        using Stream stream = typeof(LandOutline).Assembly.GetManifestResourceStream("ListeningTogether.Replay.Report.land-110m.path")
            ?? throw new InvalidOperationException("The embedded land outline is missing from the Replay assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Trim();
    }
}
