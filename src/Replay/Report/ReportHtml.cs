using System.Globalization;
using ListeningTogether.Replay.Output.Summary;

namespace ListeningTogether.Replay.Report;

/// <summary>
/// <c>report.html</c>: one self-contained page made from a summary, for analysts. Charts and the map are inline
/// SVG drawn here; there is no script, and a Content-Security-Policy forbids loading anything, so opening the file
/// makes no request. Every string from the data (track ids, city names, paths) is HTML-encoded. Given a playback
/// site, each minute of the co-play chart and of its table links to the site's playback of that minute (a plain
/// navigation); without one the page has no link but the MaxMind credit.
/// </summary>
public static class ReportHtml
{
    public const string MaxMindCredit = "This product includes GeoLite2 data created by MaxMind, available from ";
    public const string MaxMindUrl = "https://www.maxmind.com";

    public static void Write(TextWriter w, ReplaySummary s, PlaybackSite? site = null)
    {
        MinuteBins bins = MinuteBins.Of(s.PerMinute);
        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        w.Write("<meta name=\"referrer\" content=\"no-referrer\">\n");
        w.Write($"<title>Co-plays, {Html.Encode(Span(s))} · Listening Together</title>\n");
        w.Write($"<style>{ReportStyle.Css}{(site is null ? "" : "\n" + ReportStyle.PlaybackCss)}</style>\n</head>\n<body>\n");
        w.Write("<header>\n<h1>Co-plays <span class=\"span\">");
        w.Write(Html.Encode(Span(s)));
        w.Write("</span></h1>\n<p class=\"lead\">");
        w.Write($"{Html.Count(s.CoPlays)} co-plays among {Html.Count(s.EligiblePlays)} eligible plays in {Html.Count(s.Windows)} windows, ");
        w.Write($"from {Html.Count(s.InputRecords)} records in {Html.Count(s.Inputs.Count)} input {(s.Inputs.Count == 1 ? "file" : "files")}.");
        if (s.SkippedFiles.Count > 0)
        {
            w.Write($" <strong>{Html.Count(s.SkippedFiles.Count)} skipped (see below).</strong>");
        }

        w.Write("</p>\n</header>\n<main>\n");
        WriteCounts(w, s);
        WriteTime(w, bins, site);
        WriteTopTracks(w, s.TopTracks);
        WriteCityPairs(w, s.TopCityPairs);
        WriteProvenance(w, s, site);
        w.Write("</main>\n<footer>\n");
        w.Write($"<p>{MaxMindCredit}<a href=\"{MaxMindUrl}\">{MaxMindUrl}</a>.</p>\n");
        w.Write("<p>Map: Natural Earth land outlines (public domain), through the world-atlas package.</p>\n");
        w.Write("</footer>\n</body>\n</html>\n");
    }

    /// <summary>The replayed event time: the requested range if any, else the first and last playedAt.</summary>
    private static string Span(ReplaySummary s)
    {
        long? from = s.Settings.FromMs ?? s.FirstPlayedAtMs;
        long? to = s.Settings.ToMs is long end ? end - 1 : s.LastPlayedAtMs;
        return (from, to) switch
        {
            (long a, long b) when Html.Time(a, "yyyy-MM-dd") == Html.Time(b, "yyyy-MM-dd") => $"{Html.Time(a, "yyyy-MM-dd HH:mm:ss")} to {Html.Time(b, "HH:mm:ss")} UTC",
            (long a, long b) => $"{Html.DateTime(a)} to {Html.DateTime(b)}",
            (long a, null) => $"from {Html.DateTime(a)}",
            (null, long b) => $"until {Html.DateTime(b)}",
            _ => "(no plays)",
        };
    }

    private static void WriteCounts(TextWriter w, ReplaySummary s)
    {
        w.Write("<section aria-labelledby=\"counts\">\n<h2 id=\"counts\">Counts</h2>\n<dl class=\"cards\">");
        Card(w, "Co-plays", s.CoPlays);
        Card(w, "Eligible plays", s.EligiblePlays);
        Card(w, "Windows with plays", s.Windows);
        Card(w, "Input records", s.InputRecords);
        w.Write("</dl>\n<div class=\"scroll\"><table>\n<caption>Every input record by outcome</caption>\n");
        w.Write("<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\" class=\"n\">Records</th></tr></thead>\n<tbody>\n");
        Row(w, "eligible", s.EligibleRecords, $"of which {Html.Count(s.DuplicateRecords)} redelivered duplicates");
        foreach (var (reason, count) in s.Ineligible)
        {
            Row(w, reason, count, null);
        }

        if (s.Settings.FromMs is not null || s.Settings.ToMs is not null || s.OutsideRange > 0)
        {
            Row(w, "outside the range", s.OutsideRange, "valid playedAt outside from/to");
        }

        w.Write($"</tbody>\n<tfoot><tr><th scope=\"row\">all records</th><td class=\"n\">{Html.Count(s.InputRecords)}</td></tr></tfoot>\n</table></div>\n</section>\n");

        static void Card(TextWriter w, string label, long value) =>
            w.Write($"<div><dt>{label}</dt><dd>{Html.Count(value)}</dd></div>");

        static void Row(TextWriter w, string outcome, long count, string? note) =>
            w.Write($"<tr><th scope=\"row\"><code>{Html.Encode(outcome)}</code>{(note is null ? "" : $" <span class=\"note\">({note})</span>")}</th><td class=\"n\">{Html.Count(count)}</td></tr>\n");
    }

    private static void WriteTime(TextWriter w, MinuteBins bins, PlaybackSite? site)
    {
        string per = bins.MinutesPerBin == 1 ? "minute" : $"{bins.MinutesPerBin} minutes";
        w.Write($"<section aria-labelledby=\"time\">\n<h2 id=\"time\">Plays and co-plays per {per}</h2>\n");
        if (bins.Bins.Count == 0)
        {
            w.Write("<p>No eligible plays.</p>\n</section>\n");
            return;
        }

        w.Write($"<p class=\"note\">UTC; a window counts in the {per} it starts in.</p>\n");
        w.Write("<figure class=\"scroll\">");
        TimeChart.Write(w, "plays-chart", $"Eligible plays per {per}", "eligible plays", "plays", bins, b => b.EligiblePlays);
        w.Write($"<figcaption>Eligible plays (distinct per window, track and event id) per {per}.</figcaption></figure>\n");
        w.Write("<figure class=\"scroll\">");
        TimeChart.Write(w, "coplays-chart", $"Co-plays per {per}", "co-plays", "coplays", bins, b => b.CoPlays, site);
        w.Write(site is null
            ? $"<figcaption>Co-plays per {per}.</figcaption></figure>\n"
            : $"<figcaption>Co-plays per {per}; each {(bins.MinutesPerBin == 1 ? "minute" : "bar")} opens the site's playback from its start, at {Html.Encode(site.Page)}.</figcaption></figure>\n");
        w.Write($"<details><summary>The numbers per {per}</summary>\n<div class=\"scroll\"><table>\n<caption>Eligible plays and co-plays per {per}, UTC</caption>\n");
        w.Write("<thead><tr><th scope=\"col\">From</th><th scope=\"col\" class=\"n\">Eligible plays</th><th scope=\"col\" class=\"n\">Co-plays</th></tr></thead>\n<tbody>\n");
        foreach (MinuteBin bin in bins.Bins)
        {
            string from = Html.Time(bin.StartMs, "yyyy-MM-dd HH:mm");
            w.Write($"<tr><th scope=\"row\">{(site is null ? from : $"<a href=\"{Html.Encode(site.LinkTo(bin.StartMs))}\">{from}</a>")}</th><td class=\"n\">{Html.Count(bin.EligiblePlays)}</td><td class=\"n\">{Html.Count(bin.CoPlays)}</td></tr>\n");
        }

        w.Write("</tbody>\n</table></div>\n</details>\n</section>\n");
    }

    private static void WriteTopTracks(TextWriter w, IReadOnlyList<TrackTotal> tracks)
    {
        w.Write("<section aria-labelledby=\"tracks\">\n<h2 id=\"tracks\">Top tracks</h2>\n");
        if (tracks.Count == 0)
        {
            w.Write("<p>No co-plays, so no top tracks.</p>\n</section>\n");
            return;
        }

        long most = tracks[0].CoPlays;
        w.Write("<div class=\"scroll\"><table class=\"ranked\">\n");
        w.Write($"<caption>The {Html.Count(tracks.Count)} tracks with the most co-plays; plays are those in their co-plays (ties: more plays, then track id)</caption>\n");
        w.Write("<thead><tr><th scope=\"col\" class=\"n\">#</th><th scope=\"col\">Track</th><th scope=\"col\" class=\"n\">Co-plays</th><th scope=\"col\" class=\"n\">Plays</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < tracks.Count; i++)
        {
            TrackTotal track = tracks[i];
            w.Write($"<tr><td class=\"n\">{i + 1}</td><th scope=\"row\"><span class=\"id\">{Html.Encode(track.TrackId)}</span>{Meter(track.CoPlays, most)}</th>");
            w.Write($"<td class=\"n\">{Html.Count(track.CoPlays)}</td><td class=\"n\">{Html.Count(track.Plays)}</td></tr>\n");
        }

        w.Write("</tbody>\n</table></div>\n</section>\n");
    }

    private static void WriteCityPairs(TextWriter w, IReadOnlyList<CityPairTotal> pairs)
    {
        w.Write("<section aria-labelledby=\"pairs\">\n<h2 id=\"pairs\">Strongest city pairs</h2>\n<figure class=\"scroll\">");
        WorldMap.Write(w, pairs);
        w.Write("<figcaption>Great-circle arcs between the cities of each pair on an equirectangular map; the numbers are the ranks in the table.</figcaption></figure>\n");
        if (pairs.Count == 0)
        {
            w.Write("<p>No co-plays, so no city pairs.</p>\n</section>\n");
            return;
        }

        long most = pairs[0].CoPlays;
        w.Write("<div class=\"scroll\"><table class=\"ranked\">\n");
        w.Write($"<caption>The {Html.Count(pairs.Count)} city pairs with the most co-plays; km is their distance, plays those in their co-plays (ties: more plays, then smaller GeoNames ids)</caption>\n");
        w.Write("<thead><tr><th scope=\"col\" class=\"n\">#</th><th scope=\"col\">Places</th><th scope=\"col\" class=\"n\">km</th><th scope=\"col\" class=\"n\">Co-plays</th><th scope=\"col\" class=\"n\">Plays</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < pairs.Count; i++)
        {
            CityPairTotal pair = pairs[i];
            w.Write($"<tr><td class=\"n\">{i + 1}</td><th scope=\"row\"><span class=\"place\">{Html.Place(pair.A)}</span> <span class=\"place\">– {Html.Place(pair.B)}</span>{Meter(pair.CoPlays, most)}</th><td class=\"n\">{Html.Number(pair.DistanceKm, 0)}</td>");
            w.Write($"<td class=\"n\">{Html.Count(pair.CoPlays)}</td><td class=\"n\">{Html.Count(pair.Plays)}</td></tr>\n");
        }

        w.Write("</tbody>\n</table></div>\n</section>\n");
    }

    private static void WriteProvenance(TextWriter w, ReplaySummary s, PlaybackSite? site)
    {
        ReplaySettings settings = s.Settings;
        w.Write("<section aria-labelledby=\"made\">\n<h2 id=\"made\">How this was made</h2>\n<dl class=\"settings\">");
        Setting(w, "Window", $"{Html.Count(settings.WindowMs)} ms");
        Setting(w, "Minimum distance", $"{Html.Encode(settings.MinDistanceKm.ToString(CultureInfo.InvariantCulture))} km");
        Setting(w, "Maximum accuracy radius", $"{Html.Count(settings.MaxAccuracyRadiusKm)} km");
        Setting(w, "Anonymous-IP database", settings.AnonymousIpDb is null ? "none" : $"<code>{Html.Encode(settings.AnonymousIpDb)}</code>");
        Setting(w, "Event-time range", settings.FromMs is null && settings.ToMs is null
            ? "all"
            : $"from {(settings.FromMs is long f ? Html.DateTime(f) : "the start")} up to (not including) {(settings.ToMs is long t ? Html.DateTime(t) : "the end")}");
        Setting(w, "City database", $"{Html.Encode(s.CityDatabase.Type)}, built {Html.DateTime(s.CityDatabase.BuildTime.ToUnixTimeMilliseconds())}");
        Setting(w, "playedAt of the records", s.FirstPlayedAtMs is long first && s.LastPlayedAtMs is long last ? $"{Html.DateTime(first)} to {Html.DateTime(last)}" : "none valid");
        if (site is not null)
        {
            Setting(w, "Playback site", $"<code>{Html.Encode(site.Page)}</code>");
        }

        w.Write("</dl>\n");

        w.Write($"<details><summary>Input files ({Html.Count(s.Inputs.Count)})</summary>\n<div class=\"scroll\"><table>\n<caption>Input files and their records</caption>\n");
        w.Write("<thead><tr><th scope=\"col\">File</th><th scope=\"col\" class=\"n\">Records</th></tr></thead>\n<tbody>\n");
        foreach (InputFileSummary input in s.Inputs)
        {
            w.Write($"<tr><th scope=\"row\" class=\"id\">{Html.Encode(input.Path)}</th><td class=\"n\">{Html.Count(input.Records)}</td></tr>\n");
        }

        w.Write("</tbody>\n</table></div>\n</details>\n<h3>Skipped files</h3>\n");
        if (s.SkippedFiles.Count == 0)
        {
            w.Write("<p>None.</p>\n");
        }
        else
        {
            w.Write("<div class=\"scroll\"><table>\n<caption>Inputs left out by --skip-bad-files, and why</caption>\n");
            w.Write("<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
            foreach (SkippedFile skipped in s.SkippedFiles)
            {
                w.Write($"<tr><th scope=\"row\" class=\"id\">{Html.Encode(skipped.File)}</th><td>{Html.Encode(skipped.Reason)}</td></tr>\n");
            }

            w.Write("</tbody>\n</table></div>\n");
        }

        w.Write("</section>\n");

        static void Setting(TextWriter w, string name, string html) => w.Write($"<div><dt>{name}</dt><dd>{html}</dd></div>");
    }

    /// <summary>A bar under a ranked row's name, as long against the cell as the row's co-plays against the first row's; hidden from assistive technology (the number is in its own cell).</summary>
    private static string Meter(long value, long most) =>
        $"<span class=\"meter\" aria-hidden=\"true\" style=\"width:{Html.Coordinate(100.0 * value / Math.Max(1, most))}%\"></span>";
}
