import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkPlan } from '../src/playback/chunks.js';

const MIN = 60_000;
const h = Date.UTC(2026, 10, 26, 14, 0, 0);

test('chunks are whole minutes up to an hour', () => {
  assert.throws(() => new ChunkPlan({ fromMs: h, toMs: h + MIN, chunkMs: 30_000 }), RangeError);
  assert.throws(() => new ChunkPlan({ fromMs: h, toMs: h + MIN, chunkMs: 61 * MIN }), RangeError);
});

test('wants the chunk of the moment first, then the minute before and the minutes ahead', () => {
  const plan = new ChunkPlan({ fromMs: h, toMs: h + 60 * MIN, chunkMs: 5 * MIN, behindMs: MIN, aheadMs: 10 * MIN });
  assert.deepEqual(plan.wanted(h + 10 * MIN + 30_000), [h + 10 * MIN, h + 5 * MIN, h + 15 * MIN, h + 20 * MIN]);
});

test('stays inside the kept range and clips the last span to it', () => {
  const plan = new ChunkPlan({ fromMs: h + 2 * MIN, toMs: h + 7 * MIN + 30_000, chunkMs: 5 * MIN });
  assert.deepEqual(plan.wanted(h + 2 * MIN), [h, h + 5 * MIN]);
  assert.deepEqual(plan.span(h), { fromMs: h + 2 * MIN, toMs: h + 5 * MIN });
  assert.deepEqual(plan.span(h + 5 * MIN), { fromMs: h + 5 * MIN, toMs: h + 7 * MIN + 30_000 });
});

test('fetches what is neither loaded nor loading; asks again for a failed chunk; evicts what is far behind', () => {
  const plan = new ChunkPlan({ fromMs: h, toMs: h + 60 * MIN, chunkMs: 5 * MIN, behindMs: MIN, aheadMs: 5 * MIN });
  plan.mark(h, 'loaded');
  plan.mark(h + 5 * MIN, 'loading');
  assert.deepEqual(plan.toFetch(h + 2 * MIN), []);
  plan.mark(h + 5 * MIN, 'failed');
  assert.deepEqual(plan.toFetch(h + 2 * MIN), [h + 5 * MIN]);
  plan.mark(h + 5 * MIN, 'loaded');
  assert.deepEqual(plan.toEvict(h + 20 * MIN), [h, h + 5 * MIN]);
});

test('tells the first second whose chunk is not in hand', () => {
  const plan = new ChunkPlan({ fromMs: h, toMs: h + 60 * MIN, chunkMs: 5 * MIN });
  plan.mark(h, 'loaded');
  assert.equal(plan.firstMissing(h + MIN, h + 4 * MIN), null);
  assert.equal(plan.firstMissing(h + MIN, h + 6 * MIN), h + 5 * MIN);
  assert.ok(plan.isLoaded(h - 1000), 'before the kept range there is nothing to wait for');
  assert.ok(plan.isLoaded(h + 60 * MIN));
});
