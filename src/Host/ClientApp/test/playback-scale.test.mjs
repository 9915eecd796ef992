import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeScale } from '../src/playback/scale.js';

const h = Date.UTC(2026, 10, 26, 9, 0, 0);

test('maps the kept range onto the width, clamped', () => {
  const s = new TimeScale(h, h + 3_600_000, 1000);
  assert.equal(s.x(h), 0);
  assert.equal(s.x(h + 1_800_000), 500);
  assert.equal(s.x(h + 7_200_000), 1000);
  assert.equal(s.x(h - 1), 0);
});

test('a point is the whole second there, never past the last kept second', () => {
  const s = new TimeScale(h, h + 60_000, 1000);
  assert.equal(s.at(500), h + 30_000);
  assert.equal(s.at(510), h + 30_000);
  assert.equal(s.at(1000), h + 59_000);
  assert.equal(s.at(-20), h);
});

test('bars: one per minute with a count, heights relative to the busiest, none for a minute without data', () => {
  const s = new TimeScale(h, h + 180_000, 300);
  const bars = s.bars([
    { minuteMs: h, coPlays: 50 },
    { minuteMs: h + 60_000, coPlays: null },
    { minuteMs: h + 120_000, coPlays: 100 },
  ]);
  assert.deepEqual(bars, [
    { minuteMs: h, x: 0, width: 100, height: 0.5 },
    { minuteMs: h + 120_000, x: 200, width: 100, height: 1 },
  ]);
});
