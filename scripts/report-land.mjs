// Writes src/Replay/Report/land-110m.path: Natural Earth's land at 1:110m (npm world-atlas, already a dependency
// of the web page) as SVG path data on an equirectangular grid of a quarter degree: x = (lon + 180) * 4,
// y = (90 - lat) * 4, so the whole world is 1440 x 720. The replay report embeds it to draw its map without any
// request. Run after `npm ci` in src/Host/ClientApp (a solution build does that): node scripts/report-land.mjs
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'src', 'Host', 'ClientApp', 'package.json'));
const { feature } = require('topojson-client');
const { geoEquirectangular, geoPath } = require('d3-geo');
const world = require('world-atlas/land-110m.json');

const SCALE = 4;
// d3-geo cuts rings that cross the antimeridian (Chukotka, Fiji) and closes Antarctica along the map's edge.
const projection = geoEquirectangular().scale((180 * SCALE) / Math.PI).translate([180 * SCALE, 90 * SCALE]).precision(0);
const rings = [];
let ring = null;
geoPath(projection, {
  moveTo(x, y) { ring = [[x, y]]; rings.push(ring); },
  lineTo(x, y) { ring.push([x, y]); },
  closePath() { ring = null; },
  arc() { throw new Error('no points expected'); },
})(feature(world, world.objects.land));

let out = '';
let written = 0;
for (const raw of rings) {
  const points = [];
  for (const [x, y] of raw) {
    const p = [Math.round(x), Math.round(y)];
    const last = points[points.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) points.push(p);
  }
  if (points.length > 1 && points[0][0] === points.at(-1)[0] && points[0][1] === points.at(-1)[1]) points.pop();
  if (points.length < 3) continue;
  let d = `M${points[0][0]} ${points[0][1]}l`;
  for (let i = 1; i < points.length; i++) {
    const dx = points[i][0] - points[i - 1][0];
    const dy = points[i][1] - points[i - 1][1];
    d += (i > 1 && dx >= 0 ? ' ' : '') + dx + (dy >= 0 ? ' ' : '') + dy;
  }
  out += d + 'z';
  written++;
}

const target = path.join(root, 'src', 'Replay', 'Report', 'land-110m.path');
writeFileSync(target, out + '\n');
console.log(`${written} rings, ${out.length} bytes -> ${path.relative(root, target)}`);
