using System.Globalization;
using System.Text;

namespace ListeningTogether.Replay.Report;

/// <summary>
/// One count over time as inline SVG: bars while there are few bins (each with its own tooltip), an area beyond,
/// with a rounded vertical scale and time ticks at round minutes. The chart is an image to assistive technology
/// (a group of links, given a playback site: then every bin links to the site's playback of it), described by its
/// title and a sentence with its span, total and peak; the numbers are in a table beside it.
/// </summary>
internal static class TimeChart
{
    private const double Width = 640;
    private const double Height = 220;
    private const double Left = 72;
    private const double Right = 14;
    private const double Top = 14;
    private const double Bottom = 34;
    private const int MaxBars = 180;
    private static readonly int[] TickMinutes = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200];

    /// <param name="id">Unique in the page: the title and description ids derive from it.</param>
    /// <param name="noun">What is counted, plural ("eligible plays").</param>
    /// <param name="site">When given, each bin links to the site's playback from its start (see <see cref="WriteLinks"/>).</param>
    public static void Write(TextWriter w, string id, string title, string noun, string cssClass, MinuteBins bins, Func<MinuteBin, long> value, PlaybackSite? site = null)
    {
        IReadOnlyList<MinuteBin> data = bins.Bins;
        long max = data.Count == 0 ? 0 : data.Max(value);
        (long yMax, long yStep) = Scale(max);
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;
        double slot = data.Count == 0 ? plotWidth : plotWidth / data.Count;
        double Y(long v) => Top + plotHeight - (plotHeight * v / yMax);

        // An image's children are hidden from assistive technology, so a chart with links is a group of them.
        w.Write(site is null
            ? $"<svg class=\"chart {cssClass}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">"
            : $"<svg class=\"chart {cssClass}\" viewBox=\"0 0 {Width} {Height}\" role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">");
        w.Write($"<title id=\"{id}-title\">{Html.Encode(title)}</title><desc id=\"{id}-desc\">{Html.Encode(Describe(noun, bins, value))}</desc>");

        // Horizontal grid lines with their values.
        for (long v = 0; v <= yMax; v += yStep)
        {
            string y = Html.Coordinate(Y(v));
            w.Write($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y}\" y2=\"{y}\"/>");
            w.Write($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Html.Count(v)}</text>");
        }

        if (data.Count > 0 && data.Count <= MaxBars)
        {
            string format = LabelFormat(bins, bins.MinutesPerBin);
            for (int i = 0; i < data.Count; i++)
            {
                long v = value(data[i]);
                double x = Left + (i * slot) + (slot * 0.1);
                double y = Y(v);
                w.Write($"<rect class=\"bar\" x=\"{Html.Coordinate(x)}\" y=\"{Html.Coordinate(y)}\" width=\"{Html.Coordinate(Math.Max(0.5, slot * 0.8))}\" height=\"{Html.Coordinate(Top + plotHeight - y)}\"");
                w.Write(site is null ? $"><title>{Tooltip(data[i], format, noun, v)}</title></rect>" : "/>");
            }
        }
        else if (data.Count > MaxBars)
        {
            var points = new StringBuilder();
            for (int i = 0; i < data.Count; i++)
            {
                points.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{Html.Coordinate(Left + ((i + 0.5) * slot))} {Html.Coordinate(Y(value(data[i])))}");
            }

            string baseline = Html.Coordinate(Top + plotHeight);
            w.Write($"<path class=\"area\" d=\"{points}L{Html.Coordinate(Left + ((data.Count - 0.5) * slot))} {baseline}L{Html.Coordinate(Left + (0.5 * slot))} {baseline}Z\"/>");
            w.Write($"<path class=\"line\" d=\"{points}\"/>");
        }

        WriteTimeAxis(w, bins, slot, Top + plotHeight);
        if (site is not null)
        {
            WriteLinks(w, bins, site, noun, value, slot, plotHeight);
        }

        w.Write("</svg>");
    }

    /// <summary>
    /// Over each bin, an invisible rectangle as tall as the plot and as wide as the bin's slot, inside a link to the
    /// site's playback from the bin's start; the link's title, with the date in full, is its tooltip and name, and it
    /// takes keyboard focus.
    /// </summary>
    private static void WriteLinks(TextWriter w, MinuteBins bins, PlaybackSite site, string noun, Func<MinuteBin, long> value, double slot, double plotHeight)
    {
        IReadOnlyList<MinuteBin> data = bins.Bins;
        string watch = bins.MinutesPerBin == 1 ? "watch this minute on the site" : "watch from its start on the site";
        for (int i = 0; i < data.Count; i++)
        {
            w.Write($"<a class=\"playback\" href=\"{Html.Encode(site.LinkTo(data[i].StartMs))}\"><title>{Tooltip(data[i], "yyyy-MM-dd HH:mm", noun, value(data[i]))}; {watch}</title>");
            w.Write($"<rect class=\"hit\" x=\"{Html.Coordinate(Left + (i * slot))}\" y=\"{Top}\" width=\"{Html.Coordinate(slot)}\" height=\"{Html.Coordinate(plotHeight)}\"/></a>");
        }
    }

    private static string Tooltip(MinuteBin bin, string format, string noun, long value) =>
        $"{Html.Encode(Html.Time(bin.StartMs, format))} UTC: {Html.Count(value)} {Html.Encode(noun)}";

    /// <summary>A sentence for screen readers: the span, the total and the peak.</summary>
    public static string Describe(string noun, MinuteBins bins, Func<MinuteBin, long> value)
    {
        IReadOnlyList<MinuteBin> data = bins.Bins;
        if (data.Count == 0)
        {
            return $"No {noun}.";
        }

        MinuteBin peak = data.MaxBy(value);
        string per = bins.MinutesPerBin == 1 ? "minute" : $"{bins.MinutesPerBin} minutes";
        return $"{Html.Count(data.Sum(value))} {noun} from {Html.DateTime(data[0].StartMs)} to {Html.DateTime(data[^1].StartMs + bins.BinMs)}, "
            + $"at most {Html.Count(value(peak))} per {per} (at {Html.DateTime(peak.StartMs)}).";
    }

    /// <summary>A round step (1, 2 or 5 times a power of ten, about a quarter of <paramref name="max"/>) and the first multiple of it at or above <paramref name="max"/>.</summary>
    internal static (long Max, long Step) Scale(long max)
    {
        if (max <= 0)
        {
            return (1, 1);
        }

        double raw = max / 4.0;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        long step = Math.Max(1, (long)(magnitude * (raw / magnitude <= 1 ? 1 : raw / magnitude <= 2 ? 2 : raw / magnitude <= 5 ? 5 : 10)));
        return ((max + step - 1) / step * step, step);
    }

    private static void WriteTimeAxis(TextWriter w, MinuteBins bins, double slot, double baseline)
    {
        w.Write($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Html.Coordinate(baseline)}\" y2=\"{Html.Coordinate(baseline)}\"/>");
        IReadOnlyList<MinuteBin> data = bins.Bins;
        if (data.Count == 0)
        {
            return;
        }

        // At most seven ticks, at round times.
        int tickMinutes = TickMinutes.FirstOrDefault(m => m >= bins.MinutesPerBin && m % bins.MinutesPerBin == 0 && (data.Count * (long)bins.MinutesPerBin / m) < 7);
        if (tickMinutes == 0)
        {
            tickMinutes = bins.MinutesPerBin * ((data.Count + 5) / 6);
        }

        long tickMs = tickMinutes * 60_000L;
        string format = LabelFormat(bins, tickMinutes);
        List<int> ticks = [.. Enumerable.Range(0, data.Count).Where(i => data[i].StartMs % tickMs == 0)];
        if (ticks.Count == 0)
        {
            ticks.Add(0);
        }

        foreach (int i in ticks)
        {
            string x = Html.Coordinate(Left + (i * slot) + (data.Count <= MaxBars ? slot * 0.1 : 0));
            w.Write($"<line class=\"axis\" x1=\"{x}\" x2=\"{x}\" y1=\"{Html.Coordinate(baseline)}\" y2=\"{Html.Coordinate(baseline + 5)}\"/>");
            w.Write($"<text class=\"tick\" x=\"{x}\" y=\"{Html.Coordinate(baseline + 20)}\" text-anchor=\"middle\">{Html.Encode(Html.Time(data[i].StartMs, format))}</text>");
        }
    }

    private static string LabelFormat(MinuteBins bins, int minutes)
    {
        long span = bins.Bins.Count * bins.BinMs;
        return minutes >= 1440 ? "yyyy-MM-dd" : span > 86_400_000 ? "MM-dd HH:mm" : "HH:mm";
    }
}
