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

test('drops a repeat of a (windowStart, trackId), from a second replica or a catch-up, keeping the first copy', () => {
  const s = new RecentStore();
  const first = { ...at(0), pushedAtMs: 1 };
  const fromSecondReplica = { ...at(0), pushedAtMs: 2 };
  assert.equal(s.add([first]).length, 1);
  assert.deepEqual(s.add([fromSecondReplica, fromSecondReplica]), []);
  assert.equal(s.size, 1);
  assert.equal(s.latest(10)[0].item.pushedAtMs, 1);
});

test('a reconnect catch-up adds only the co-plays missed meanwhile', () => {
  const s = new RecentStore();
  s.add([at(0), at(1)]);
  const added = s.add([at(0), at(1), at(2), at(2, 't2')]);
  assert.deepEqual(added.map((e) => `${e.item.windowStart.slice(17, 19)} ${e.item.trackId}`), ['02 t1', '02 t2']);
  assert.equal(s.size, 4);
});

test('a window start written differently is still the same window', () => {
  const s = new RecentStore();
  s.add([{ ...at(0), windowStart: '2026-11-26T14:00:00.000Z' }]);
  assert.deepEqual(s.add([{ ...at(0), windowStart: '2026-11-26T14:00:00Z' }]), []);
});

test('forgets the keys of what it no longer keeps, and drops a repeat of one', () => {
  const s = new RecentStore({ maxAgeMs: 10_000 });
  for (let second = 0; second < 100; second++) s.add([at(second), at(second, 't2')]);
  assert.equal(s.byKey.size, 22); // seconds 89..99, two tracks each
  assert.deepEqual(s.add([at(5)]), []);
  assert.equal(s.byKey.size, 22);
});

test('a repeat of a co-play let go to stay within maxItems is dropped too', () => {
  const s = new RecentStore({ maxItems: 5 });
  s.add(Array.from({ length: 8 }, (_, i) => at(i, `t${i}`)));
  assert.deepEqual(s.add([at(0, 't0'), at(2, 't2')]), []);
  assert.deepEqual(s.latest(10).map((e) => e.item.trackId), ['t3', 't4', 't5', 't6', 't7']);
});

test('clear() starts a new timeline: nothing kept, and the same co-plays are new again', () => {
  const s = new RecentStore({ maxItems: 2 });
  s.add([at(0), at(1), at(2)]);
  s.clear();
  assert.equal(s.size, 0);
  assert.equal(s.byKey.size, 0);
  assert.equal(s.cutoffMs(), Number.NEGATIVE_INFINITY);
  assert.equal(s.add([at(0), at(1)]).length, 2);
});
