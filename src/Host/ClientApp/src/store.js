// The last minute of co-plays of one timeline (the live view; a later playback timeline gets a store of its own, or
// this one cleared on seek / LIVE). Deduplicated on (windowStart, trackId): a repeat, from a reconnect's catch-up
// or from a second site replica, is dropped and the first copy kept. Ordered by window start, bounded in age
// (relative to the newest window seen, so a skewed client clock does not matter) and in count; the keys of what it
// no longer keeps are forgotten too, and a co-play as old as those is dropped. Pure (no DOM), tested under node.

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
    /** window start (ms) of the newest entry let go (too old, or over maxItems): nothing at or before it is kept */
    this.forgottenMs = Number.NEGATIVE_INFINITY;
  }

  /** Forgets everything, as a new timeline starts (seek, or back to LIVE). */
  clear() {
    this.byKey.clear();
    this.entries = [];
    this.newestMs = Number.NEGATIVE_INFINITY;
    this.forgottenMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * Adds co-plays; returns the entries that were new. A repeat of a (windowStart, trackId) already kept is dropped,
   * and so is a co-play older than the store keeps: neither is returned.
   * @param {object[]} items
   */
  add(items) {
    const added = [];
    let unsorted = false;
    for (const item of items) {
      if (!isValidCoPlay(item)) continue;
      const key = coPlayKey(item);
      if (this.byKey.has(key)) continue;
      const ms = windowMillis(item.windowStart);
      if (ms <= this.forgottenMs) continue;
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
      const entry = this.entries[drop];
      if (entry.ms > this.forgottenMs) this.forgottenMs = entry.ms;
      this.byKey.delete(entry.key);
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
