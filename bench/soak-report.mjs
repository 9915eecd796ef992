// The soak's page and last line (see bench/soak.sh): reads its CSV, writes one self-contained HTML page (inline SVG,
// nothing fetched) with a small chart per series, and prints
//   soak: M min, rss slope X MB/10 min after warm-up (anon A, file F), heap slope Y, committed slope C, fds A->B, errors E
// Slopes are least squares over the samples after the warm-up (5 minutes, or the first third of runs shorter than
// 15 minutes), in MB per 10 minutes: resident memory in all, its anonymous and file-backed parts, the GC heap after
// the last collection and the memory the GC had committed then. fds A->B are the open file descriptors at the end of
// the warm-up and at the end. The page also draws the anonymous memory beyond what the GC committed (native
// allocations, thread stacks, the runtime's own), the difference of the two columns.
// Usage: node bench/soak-report.mjs SOAK.csv SOAK.html MINUTES ERRORS
import { readFileSync, writeFileSync } from 'node:fs';

const [csvPath, htmlPath, minutesArg, errorsArg] = process.argv.slice(2);
if (!csvPath || !htmlPath || !minutesArg || errorsArg === undefined) {
  console.error('usage: node bench/soak-report.mjs SOAK.csv SOAK.html MINUTES ERRORS');
  process.exit(2);
}

const minutes = Number(minutesArg);
const warmUpS = minutes >= 15 ? 300 : (minutes * 60) / 3;
const [header, ...lines] = readFileSync(csvPath, 'utf8').trim().split('\n');
const columns = header.split(',');
const rows = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v === '' ? null : Number(v)])));
for (const r of rows) {
  r.outside_gc_mb = r.rss_anon_mb == null || r.gc_committed_mb == null ? null : r.rss_anon_mb - r.gc_committed_mb;
}
const after = rows.filter((r) => r.t_s >= warmUpS);

/** Least-squares slope of column per second over rows that have it, with its intercept; null with fewer than two. */
function fit(column, of = after) {
  const points = of.filter((r) => r[column] != null).map((r) => [r.t_s, r[column]]);
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

const per10Min = (f) => (f === null ? 'n/a' : (f.slope * 600).toFixed(1));
const rssFit = fit('rss_mb');
const anonFit = fit('rss_anon_mb');
const fileFit = fit('rss_file_mb');
const heapFit = fit('heap_mb');
const committedFit = fit('gc_committed_mb');
const outsideFit = fit('outside_gc_mb');
const fdsAt = (r) => (r && r.fds != null ? r.fds : 'n/a');
const summary = `soak: ${minutes} min, rss slope ${per10Min(rssFit)} MB/10 min after warm-up ` +
  `(anon ${per10Min(anonFit)}, file ${per10Min(fileFit)}), heap slope ${per10Min(heapFit)}, committed slope ${per10Min(committedFit)}, ` +
  `fds ${fdsAt(after[0])}->${fdsAt(after[after.length - 1])}, errors ${errorsArg}`;

const series = [
  ['rss_mb', 'Resident memory (MB)', rssFit],
  ['rss_anon_mb', 'Anonymous resident memory (MB)', anonFit],
  ['rss_file_mb', 'File-backed resident memory (MB)', fileFit],
  ['heap_mb', 'GC heap after the last collection (MB)', heapFit],
  ['gc_committed_mb', 'Memory the GC had committed (MB)', committedFit],
  ['outside_gc_mb', 'Anonymous memory beyond the GC\'s (MB)', outsideFit],
  ['gen2_collections', 'Gen-2 collections (total)'],
  ['threads', 'Threads'],
  ['fds', 'Open file descriptors'],
  ['watermark_delay_s', 'Watermark delay (s)'],
  ['plays_per_s', 'Eligible plays per second'],
  ['push_p50_ms', 'Push -> receipt p50 (ms)'],
  ['push_p99_ms', 'Push -> receipt p99 (ms)'],
  ['viewers_receiving', 'Viewers that received in the interval'],
];

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const round = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

function chart(column, title, line) {
  const W = 440, H = 170, L = 52, R = 10, T = 10, B = 28;
  const points = rows.filter((r) => r[column] != null).map((r) => [r.t_s, r[column]]);
  const xMax = Math.max(minutes * 60, ...points.map(([x]) => x), 1);
  let yMin = Math.min(...points.map(([, y]) => y));
  let yMax = Math.max(...points.map(([, y]) => y));
  if (!points.length) [yMin, yMax] = [0, 1];
  if (yMax - yMin < 1e-9) [yMin, yMax] = [yMin - 1, yMax + 1];
  const pad = (yMax - yMin) * 0.08;
  yMin -= pad;
  yMax += pad;
  const x = (s) => L + (s / xMax) * (W - L - R);
  const y = (v) => T + (1 - (v - yMin) / (yMax - yMin)) * (H - T - B);
  const parts = [
    `<rect x="${L}" y="${T}" width="${x(Math.min(warmUpS, xMax)) - L}" height="${H - T - B}" class="warm"/>`,
    `<text x="${L + 4}" y="${T + 12}" class="note">warm-up</text>`,
  ];
  // Enough decimals that the five labels differ, however narrow the range.
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10((yMax - yMin) / 4))));
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`,
      `<text x="${L - 4}" y="${y(v) + 4}" class="ylabel">${v.toFixed(decimals)}</text>`);
  }
  const step = [1, 2, 5, 10, 15, 30, 60].find((m) => xMax / 60 / m <= 8) ?? 120;
  for (let m = 0; m * 60 <= xMax; m += step) {
    parts.push(`<text x="${x(m * 60)}" y="${H - B + 14}" class="xlabel">${m}</text>`);
  }

  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 2}" class="xlabel">minutes</text>`);
  if (points.length) {
    parts.push(`<polyline class="data" points="${points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')}"/>`);
  }

  if (line) {
    const x0 = Math.min(warmUpS, xMax);
    parts.push(`<line class="fit" x1="${x(x0)}" x2="${x(xMax)}" y1="${y(line.intercept + line.slope * x0)}" y2="${y(line.intercept + line.slope * xMax)}"/>`);
  }

  const last = points.length ? points[points.length - 1][1] : null;
  const note = line ? `, slope ${per10Min(line)} MB/10 min after warm-up` : '';
  return `<figure><figcaption>${escape(title)}${last === null ? '' : `: last ${round(last)}`}${escape(note)}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escape(title)}">${parts.join('')}</svg></figure>`;
}

const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Soak, ${minutes} min</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
.grid-of-charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; border: 1px solid #ddd; padding: 8px; width: 440px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.warm { fill: #f2f2f2; }
.note { font-size: 10px; fill: #888; }
.grid { stroke: #e4e4e4; }
.ylabel { font-size: 10px; text-anchor: end; fill: #555; }
.xlabel { font-size: 10px; text-anchor: middle; fill: #555; }
.data { fill: none; stroke: #1f6feb; stroke-width: 1.5; }
.fit { stroke: #d1242f; stroke-width: 1; stroke-dasharray: 4 3; }
code { background: #f6f6f6; padding: 2px 4px; }
</style></head><body>
<h1>Soak, ${minutes} min</h1>
<p><code>${escape(summary)}</code></p>
<p>${rows.length} samples every 10 s. Warm-up (shaded): the first ${(warmUpS / 60).toFixed(1)} min
(${minutes >= 15 ? '5 minutes' : 'a third of a run shorter than 15 minutes'}); the dashed lines are the least-squares fits after it.
Generated ${escape(new Date().toISOString())}.</p>
<div class="grid-of-charts">
${series.map(([column, title, line]) => chart(column, title, line)).join('\n')}
</div>
</body></html>
`;
writeFileSync(htmlPath, html);
console.log(`warm-up: the first ${(warmUpS / 60).toFixed(1)} min (${minutes >= 15 ? '5 minutes' : 'a third of a run shorter than 15 minutes'}); page: ${htmlPath}`);
console.log(summary);
