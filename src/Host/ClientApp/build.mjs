// Builds the page into ../wwwroot (wholly generated; git-ignored):
//   index.html, favicon.svg             copied from src/
//   app.js, app.css                     esbuild bundle of src/main.js (ES module, minified)
//   countries-110m.json                 the Natural Earth TopoJSON from world-atlas
//   third-party-notices.txt             the licences of every package in the bundle and of the map data
// Usage: node build.mjs [--outdir DIR] [--dev]   (--dev: no minification, inline source map)
// Fails (exit 1) on a bundling error, on eval/new Function in the bundle (the site's CSP forbids them) and when
// the bundle outgrows its budget.

import { build } from 'esbuild';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const outIndex = args.indexOf('--outdir');
const outdir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(here, '..', 'wwwroot'));
const WORLD = 'countries-110m.json';
// Packages that ship no licence file: the notice from their repository.
const LICENCES_NOT_SHIPPED = {
  '@microsoft/signalr':
    'The MIT License (MIT)\n\nCopyright (c) .NET Foundation and Contributors\n\nAll rights reserved.\n\n' +
    'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated ' +
    'documentation files (the "Software"), to deal in the Software without restriction, including without limitation ' +
    'the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and ' +
    'to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\n' +
    'The above copyright notice and this permission notice shall be included in all copies or substantial portions ' +
    'of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, ' +
    'INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND ' +
    'NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER ' +
    'LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE ' +
    'SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.',
};
const BUDGET_BYTES = 400 * 1024; // app.js + app.css + the TopoJSON

if (path.basename(outdir) !== 'wwwroot' && outIndex < 0) throw new Error(`refusing to clean ${outdir}`);

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

let result;
try {
  result = await build({
    absWorkingDir: here,
    entryPoints: { app: 'src/main.js' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: 'none', // collected into third-party-notices.txt instead
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
  });
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}

await copyFile(path.join(here, 'src', 'index.html'), path.join(outdir, 'index.html'));
await copyFile(path.join(here, 'src', 'favicon.svg'), path.join(outdir, 'favicon.svg'));
await copyFile(path.join(here, 'node_modules', 'world-atlas', WORLD), path.join(outdir, WORLD));

// Licences: every npm package that contributed code to the bundle, plus world-atlas for the map data.
const packages = new Set(['world-atlas']);
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const notices = [
  'Third-party software and data in this page',
  '',
  'Map outlines: Natural Earth (public domain, https://www.naturalearthdata.com), as TopoJSON from world-atlas.',
  'This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com',
  '',
];
for (const name of [...packages].sort()) {
  const dir = path.join(here, 'node_modules', name);
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  const licenceFile = (await readdir(dir)).find((f) => /^licen[cs]e/i.test(f));
  notices.push('-'.repeat(78), `${pkg.name} ${pkg.version} (${pkg.license ?? 'see below'})`, '');
  if (licenceFile) notices.push((await readFile(path.join(dir, licenceFile), 'utf8')).trim(), '');
  else notices.push(LICENCES_NOT_SHIPPED[name] ?? `Licence: ${pkg.license} (the package ships no licence file).`, '');
}
await writeFile(path.join(outdir, 'third-party-notices.txt'), `${notices.join('\n')}\n`);

// The CSP (script-src 'self', no 'unsafe-eval') would break any eval at run time: refuse to ship one.
const js = await readFile(path.join(outdir, 'app.js'), 'utf8');
if (/\beval\s*\(|\bnew\s+Function\s*\(/.test(js)) {
  console.error('build.mjs: app.js contains eval or new Function, which the Content-Security-Policy forbids');
  process.exit(1);
}

const sizes = {};
for (const f of ['index.html', 'app.js', 'app.css', WORLD, 'favicon.svg', 'third-party-notices.txt']) {
  sizes[f] = (await stat(path.join(outdir, f))).size;
}
const budgeted = sizes['app.js'] + sizes['app.css'] + sizes[WORLD];
for (const [f, n] of Object.entries(sizes)) console.log(`  ${f.padEnd(24)} ${(n / 1024).toFixed(1).padStart(7)} KiB`);
console.log(`wwwroot built in ${Date.now() - started} ms -> ${outdir}`);
if (!dev && budgeted > BUDGET_BYTES) {
  console.error(`build.mjs: app.js + app.css + ${WORLD} = ${budgeted} bytes, over the ${BUDGET_BYTES}-byte budget`);
  process.exit(1);
}
