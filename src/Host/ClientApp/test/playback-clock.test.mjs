import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlaybackClock } from '../src/playback/clock.js';

const t0 = Date.UTC(2026, 10, 26, 14, 0, 0);

test('stands still until played, then runs at its speed', () => {
  const c = new PlaybackClock({ positionMs: t0, speed: 10 });
  assert.equal(c.position(5_000), t0);
  c.play(1_000);
  assert.equal(c.position(1_000), t0);
  assert.equal(c.position(2_000), t0 + 10_000);
});

test('pause keeps the position; play goes on from it', () => {
  const c = new PlaybackClock({ positionMs: t0, speed: 60 });
  c.play(0);
  c.pause(1_000);
  assert.equal(c.position(9_000), t0 + 60_000);
  c.play(10_000);
  assert.equal(c.position(10_500), t0 + 90_000);
});

test('a speed change keeps the moment and applies from then on', () => {
  const c = new PlaybackClock({ positionMs: t0, speed: 1 });
  c.play(0);
  c.setSpeed(60, 2_000);
  assert.equal(c.position(2_000), t0 + 2_000);
  assert.equal(c.position(3_000), t0 + 62_000);
});

test('seek moves the moment, playing or paused, within the bounds', () => {
  const c = new PlaybackClock({ positionMs: t0, speed: 10, minMs: t0, maxMs: t0 + 60_000 });
  c.play(0);
  c.seek(t0 + 30_000, 1_000);
  assert.equal(c.position(1_000), t0 + 30_000);
  assert.equal(c.position(2_000), t0 + 40_000);
  c.seek(t0 - 5_000, 2_000);
  assert.equal(c.position(2_000), t0);
  assert.equal(c.position(100_000), t0 + 60_000, 'stops at the end');
  assert.ok(c.atEnd(100_000));
});
