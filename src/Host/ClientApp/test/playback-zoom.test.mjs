import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HourZoom, hourChunks, hourOf } from '../src/playback/zoom.js';

const h = Date.UTC(2026, 10, 26, 10, 0, 0);
const minute = 60_000;
const day = { fromMs: h - 24 * 3_600_000, toMs: h + 24 * 3_600_000 };

test('the hour of a moment is its UTC hour', () => {
  assert.equal(hourOf(h + 59 * minute + 59_999), h);
  assert.equal(hourOf(h), h);
  assert.equal(hourOf(h - 1), h - 3_600_000);
});

test('the strip maps its hour onto the width; a point is the whole second there', () => {
  const z = new HourZoom(h, 600, day);
  assert.equal(z.x(h + 30 * minute), 300);
  assert.equal(z.x(h - minute), 0);
  assert.equal(z.x(h + 2 * 3_600_000), 600);
  assert.equal(z.at(300), h + 30 * minute);
  assert.equal(z.at(300.2), h + 30 * minute + 1000); // six seconds a unit
  assert.equal(z.at(600), h + 3_600_000 - 1000);
  assert.equal(z.at(-5), h);
});

test('a point never leaves the kept range', () => {
  const z = new HourZoom(h, 600, { fromMs: h + 10 * minute, toMs: h + 20 * minute + 500 });
  assert.equal(z.at(0), h + 10 * minute);
  assert.equal(z.at(600), h + 20 * minute);
});

test('bins: sixty, a count relative to the busiest, 0 flat, null and outside the range none, not fetched unknown', () => {
  const z = new HourZoom(h, 600, { fromMs: h + minute, toMs: h + 59 * minute });
  const counts = new Map([
    [h, 7], // outside the kept range: none whatever is known
    [h + minute, 50],
    [h + 2 * minute, 0],
    [h + 3 * minute, null],
    [h + 4 * minute, 100],
    [h + 5 * minute, 1],
  ]);
  const bins = z.bins((ms) => counts.get(ms));
  assert.equal(bins.length, 60);
  assert.deepEqual(bins.slice(0, 5).map((b) => [b.state, b.height]), [
    ['none', 0],
    ['count', 0.5],
    ['count', 0],
    ['none', 0],
    ['count', 1],
  ]);
  assert.equal(bins[5].state, 'count');
  assert.ok(bins[5].height > 0.01, 'a quiet minute keeps a visible bar');
  assert.equal(bins[6].state, 'unknown');
  assert.equal(bins[59].state, 'none');
  assert.deepEqual([bins[4].minuteMs, bins[4].x, bins[4].width], [h + 4 * minute, 40, 10]);
});

test('bins of an hour with no count known yet are all unknown, height 0', () => {
  const bins = new HourZoom(h, 600, day).bins(() => undefined);
  assert.ok(bins.every((b) => b.state === 'unknown' && b.height === 0));
});

test('the chunks of the hour, within the kept range, nearest to the moment first', () => {
  const chunk = 5 * minute;
  assert.deepEqual(hourChunks(h, chunk, day, h + 12 * minute).slice(0, 4), [h + 10 * minute, h + 5 * minute, h + 15 * minute, h]);
  assert.equal(hourChunks(h, chunk, day, h).length, 12);
  const partial = { fromMs: h + 7 * minute + 3000, toMs: h + 21 * minute };
  assert.deepEqual(hourChunks(h, chunk, partial, h).sort((a, b) => a - b), [h + 5 * minute, h + 10 * minute, h + 15 * minute, h + 20 * minute]);
});
