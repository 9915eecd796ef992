import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPlaybackHash, formatUtcSecond, parsePlaybackHash } from '../src/playback/hash.js';

const at = Date.UTC(2026, 10, 26, 14, 5, 0);

test('parses a moment and a speed', () => {
  assert.deepEqual(parsePlaybackHash('#at=2026-11-26T14:05:00Z&speed=10'), { atMs: at, speed: 10 });
  assert.deepEqual(parsePlaybackHash('speed=60&at=2026-11-26T14:05:00Z'), { atMs: at, speed: 60 });
});

test('speed defaults to 1x; the moment is floored to its second; offsets and encoded forms are read', () => {
  assert.deepEqual(parsePlaybackHash('#at=2026-11-26T14:05:00.999Z'), { atMs: at, speed: 1 });
  assert.deepEqual(parsePlaybackHash('#at=2026-11-26T15:05:00%2B01:00&speed=1'), { atMs: at, speed: 1 });
  assert.deepEqual(parsePlaybackHash('#at=2026-11-26T14%3A05%3A00Z'), { atMs: at, speed: 1 });
});

test('anything else is not a playback link', () => {
  for (const hash of [
    '',
    '#',
    '#coplays-heading',
    '#at=',
    '#at=yesterday',
    '#at=2026-11-26T14:05:00', // no zone: ambiguous
    '#at=2026-11-26',
    '#at=2026-13-26T14:05:00Z',
    '#at=2026-11-26T14:05:00Z&speed=2',
    '#at=2026-11-26T14:05:00Z&speed=10.0',
    '#at=2026-11-26T14:05:00Z&speed=',
    '#at=%E0%A4%A',
    '#at',
  ]) {
    assert.equal(parsePlaybackHash(hash), null, hash);
  }
});

test('formats what it parses', () => {
  assert.equal(formatPlaybackHash(at + 12_345, 10), '#at=2026-11-26T14:05:12Z&speed=10');
  assert.deepEqual(parsePlaybackHash(formatPlaybackHash(at + 12_345, 60)), { atMs: at + 12_000, speed: 60 });
  assert.equal(formatUtcSecond(at + 12_345), '2026-11-26 14:05:12 UTC');
});
