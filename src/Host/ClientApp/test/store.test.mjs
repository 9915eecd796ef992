import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentStore } from '../src/store.js';

const at = (second, trackId = 't1') => ({
  windowStart: new Date(Date.UTC(2026, 10, 26, 14, 0, 0) + second * 1000).toISOString(),
  trackId,
  a: { city: 'A', country: 'JP', lat: 1, lon: 2 },
  b: { city: 'B', country: 'PE', lat: 3, lon: 4 },
  distanceKm: 500,
});

test('dedupes on (windowStart, trackId) and reports only new entries', () => {
  const s = new RecentStore();
  assert.equal(s.add([at(0), at(0, 't2')]).length, 2);
  assert.equal(s.add([at(0), at(1)]).length, 1);
  assert.equal(s.size, 3);
});

test('keeps one minute relative to the newest window, oldest first', () => {
  const s = new RecentStore({ maxAgeMs: 60_000 });
  s.add([at(0), at(30), at(10)]);
  assert.deepEqual(s.latest(10).map((e) => e.item.windowStart.slice(17, 19)), ['00', '10', '30']);
  s.add([at(65)]);
  assert.deepEqual(s.latest(10).map((e) => e.item.windowStart.slice(17, 19)), ['10', '30', '05']);
  // A late item older than the window is dropped at once and not reported.
  assert.equal(s.add([at(1, 'late')]).length, 0);
});

test('bounded in count; latest() filters and limits', () => {
  const s = new RecentStore({ maxItems: 5 });
  s.add(Array.from({ length: 8 }, (_, i) => at(i, `t${i}`)));
  assert.equal(s.size, 5);
  assert.deepEqual(s.latest(2).map((e) => e.item.trackId), ['t6', 't7']);
  assert.deepEqual(s.latest(10, (it) => it.trackId === 't4').map((e) => e.item.trackId), ['t4']);
});

test('ignores malformed items', () => {
  const s = new RecentStore();
  assert.equal(s.add([null, {}, { ...at(0), a: null }]).length, 0);
  assert.equal(s.size, 0);
});
