import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topTracksOf } from '../src/playback/top.js';
import { WindowBuffer } from '../src/playback/windows.js';

const iso = (s) => new Date(Date.UTC(2026, 10, 26, 9, 0, s)).toISOString();
const view = (s, trackId) => ({ windowStart: iso(s), trackId });

test('gives the co-plays of the windows after one second up to another, in window order', () => {
  const b = new WindowBuffer();
  b.addResponse({
    windows: [
      { windowStart: iso(2), coPlays: [view(2, 'c')] },
      { windowStart: iso(0), coPlays: [view(0, 'a'), view(0, 'b')] },
    ],
    minutes: [{ minute: iso(0), coPlays: 3 }],
  });
  b.addResponse({ windows: [{ windowStart: iso(3), coPlays: [view(3, 'd')] }], minutes: [] });
  const t = (s) => Date.parse(iso(s));
  assert.deepEqual(b.between(t(-1), t(2)).map((c) => c.trackId), ['a', 'b', 'c']);
  assert.deepEqual(b.between(t(0), t(3)).map((c) => c.trackId), ['c', 'd']);
  assert.equal(b.minuteCount(t(30)), 3);
  b.evict(t(0), t(3));
  assert.deepEqual(b.between(t(-1), t(59)).map((c) => c.trackId), ['d']);
  assert.deepEqual(b.minuteCounts(), [{ minuteMs: t(0), coPlays: 3 }]);
});

test('a minute without data counts null; junk in a response is skipped', () => {
  const b = new WindowBuffer();
  b.addResponse({ windows: [null, { windowStart: 'x', coPlays: [] }], minutes: [{ minute: iso(0), coPlays: null }] });
  assert.equal(b.byWindow.size, 0);
  assert.deepEqual(b.minuteCounts(), [{ minuteMs: Date.parse(iso(0)), coPlays: null }]);
});

test('top tracks of the shown co-plays: most first, then by track id', () => {
  const entries = ['b', 'a', 'b', 'c', 'a', 'b'].map((trackId) => ({ item: { trackId, title: trackId.toUpperCase() } }));
  assert.deepEqual(topTracksOf(entries, 2), [
    { trackId: 'b', title: 'B', artist: undefined, coPlays: 3 },
    { trackId: 'a', title: 'A', artist: undefined, coPlays: 2 },
  ]);
});
