namespace ListeningTogether.Replay.Report;

/// <summary>The report's style sheet: system fonts only, light and dark, one column that fits a phone.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root{color-scheme:light dark;--fg:#1a202c;--muted:#4a5568;--bg:#fff;--card:#f4f7fa;--line:#dde3ea;--plays:#2b6cb0;--coplays:#c05621;--sea:#e8f1f8;--land:#c9d3dd;--grid:#b8c6d4}
        @media (prefers-color-scheme:dark){:root{--fg:#e6ebf0;--muted:#a9b4c0;--bg:#14181f;--card:#1d232c;--line:#2e3744;--plays:#63b3ed;--coplays:#f6ad55;--sea:#17202b;--land:#3b4654;--grid:#2b3542}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        header,main,footer{max-width:62rem;margin:0 auto;padding:0 1rem}
        header{padding-top:1.5rem}
        h1{font-size:1.6rem;line-height:1.25;margin:0 0 .5rem}
        h1 .span{display:block;font-size:1rem;font-weight:400;color:var(--muted)}
        h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-top:1rem;border-top:1px solid var(--line)}
        h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
        .lead{font-size:1.05rem}
        .note{color:var(--muted);font-size:.9rem;font-weight:400}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:0 0 1rem}
        .cards div{background:var(--card);border-radius:.5rem;padding:.75rem 1rem}
        .cards dt{color:var(--muted);font-size:.9rem}
        .cards dd{margin:0;font-size:1.5rem;font-weight:600;font-variant-numeric:tabular-nums}
        .settings div{display:flex;flex-wrap:wrap;gap:0 1rem;padding:.3rem 0;border-bottom:1px solid var(--line)}
        .settings dt{min-width:14rem;color:var(--muted)}
        .settings dd{margin:0;overflow-wrap:anywhere}
        .scroll{overflow-x:auto;margin:0 0 1rem}
        figure{margin:0 0 1.25rem}
        figcaption{color:var(--muted);font-size:.9rem}
        svg{display:block;width:100%;height:auto}
        svg.map{min-width:36rem;border-radius:.5rem}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        caption{caption-side:top;text-align:left;font-weight:600;padding:.25rem 0 .5rem}
        th,td{padding:.4rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;font-weight:400}
        thead th{font-weight:600;color:var(--muted);font-size:.9rem}
        tfoot th,tfoot td{font-weight:600}
        .n{text-align:right;white-space:nowrap}
        .id{overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
        .place{display:inline-block}
        .meter{display:block;height:.35rem;margin:.3rem 0 .1rem;border-radius:.2rem;background:var(--coplays)}
        details{margin:0 0 1rem}
        summary{cursor:pointer;padding:.25rem 0}
        code{font-size:.9em}
        footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
        a{color:var(--plays)}
        .grid{stroke:var(--line);stroke-width:1}
        .axis{stroke:var(--muted);stroke-width:1}
        .tick{fill:var(--muted);font-size:12px}
        .plays .bar,.plays .area{fill:var(--plays)}
        .coplays .bar,.coplays .area{fill:var(--coplays)}
        .area{opacity:.35}
        .line{fill:none;stroke-width:1.5}
        .plays .line{stroke:var(--plays)}
        .coplays .line{stroke:var(--coplays)}
        .sea{fill:var(--sea)}
        .land{fill:var(--land)}
        .graticule{fill:none;stroke:var(--grid);stroke-width:1}
        .arc{fill:none;stroke:var(--coplays);stroke-opacity:.8;stroke-linecap:round}
        .city{fill:var(--plays);stroke:var(--bg);stroke-width:2}
        .badge circle{fill:var(--bg);stroke:var(--coplays);stroke-width:3}
        .badge text{fill:var(--fg);font-size:17px;font-weight:600}
        @media (max-width:40rem){body{font-size:15px}th,td{padding:.35rem .25rem}.tick{font-size:20px}.badge circle{r:20px}.badge text{font-size:24px}.id{font-size:.8rem}}
        """;

    /// <summary>Added only to a report with playback links: the invisible hit areas over a chart's bins, shown on hover and focus.</summary>
    public const string PlaybackCss = """
        .hit{fill:transparent;cursor:pointer}
        .playback:hover .hit,.playback:focus .hit{fill:var(--coplays);fill-opacity:.25}
        .playback:focus-visible .hit{stroke:var(--fg);stroke-width:1.5}
        """;
}
