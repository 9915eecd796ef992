// The last minute of co-plays the page has received: deduplicated on (windowStart, trackId), ordered by
// window start, bounded in age (relative to the newest window seen, so a skewed client clock does not matter)
// and in count. Pure (no DOM), tested under node.

import { coPlayKey, isValidCoPlay, windowMillis } from './format.js';

export class RecentStore {
  /**
   * @param {{ maxAgeMs?: number, maxItems?: number }} [options]
   */
  constructor({ maxAgeMs = 60_000, maxItems = 2_000 } = {}) {
    this.maxAgeMs = maxAgeMs;
    this.maxItems = maxItems;
    /** @type {Map<string, {item: object, ms: number, key: string}>} */
    this.byKey = new Map();
    /** entries in ascending window start (stable for equal starts) */
    this.entries = [];
    this.newestMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * Adds co-plays; returns the entries that were new (redeliveries replace the stored item and are not returned).
   * @param {object[]} items
   */
  add(items) {
    const added = [];
    let unsorted = false;
    for (const item of items) {
      if (!isValidCoPlay(item)) continue;
      const key = coPlayKey(item);
      const existing = this.byKey.get(key);
      if (existing) {
        existing.item = item;
        continue;
      }
      const ms = windowMillis(item.windowStart);
      const entry = { item, ms, key };
      const last = this.entries[this.entries.length - 1];
      if (last && ms < last.ms) unsorted = true;
      this.entries.push(entry);
      this.byKey.set(key, entry);
      if (ms > this.newestMs) this.newestMs = ms;
      added.push(entry);
    }
    if (unsorted) this.entries.sort((x, y) => x.ms - y.ms);
    this.prune();
    // Entries pruned at once (too old already) are not reported as added.
    return added.filter((e) => this.byKey.get(e.key) === e);
  }

  prune() {
    const cutoff = this.newestMs - this.maxAgeMs;
    let drop = 0;
    while (drop < this.entries.length && (this.entries[drop].ms < cutoff || this.entries.length - drop > this.maxItems)) {
      this.byKey.delete(this.entries[drop].key);
      drop++;
    }
    if (drop > 0) this.entries.splice(0, drop);
  }

  /** Oldest first; the last `limit` entries that pass `predicate`. */
  latest(limit, predicate = () => true) {
    const out = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      if (predicate(this.entries[i].item)) out.push(this.entries[i]);
    }
    return out.reverse();
  }

  /** Window start (ms) below which an arc or entry is older than the store keeps. */
  cutoffMs() {
    return this.newestMs - this.maxAgeMs;
  }

  get size() {
    return this.entries.length;
  }
}
