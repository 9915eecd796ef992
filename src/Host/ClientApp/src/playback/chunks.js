// Which spans of co-plays to fetch: the kept range cut into chunks aligned on whole minutes (the server caches per
// minute), each at most an hour (the API's bound). The page keeps the minute before the played-back second (what
// the map and ticker show) and a few minutes ahead of it. Pure, tested under node.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export class ChunkPlan {
  /**
   * @param {{ fromMs: number, toMs: number, chunkMs?: number, behindMs?: number, aheadMs?: number }} options
   *   fromMs/toMs: the kept range (to exclusive); chunkMs: a whole number of minutes up to an hour
   */
  constructor({ fromMs, toMs, chunkMs = 5 * MINUTE, behindMs = MINUTE, aheadMs = 10 * MINUTE }) {
    if (!(chunkMs >= MINUTE && chunkMs <= HOUR && chunkMs % MINUTE === 0)) throw new RangeError(`chunkMs ${chunkMs}`);
    this.fromMs = fromMs;
    this.toMs = toMs;
    this.chunkMs = chunkMs;
    this.behindMs = behindMs;
    this.aheadMs = aheadMs;
    /** chunk start -> 'loading' | 'loaded' | 'failed' */
    this.state = new Map();
  }

  /** Start of the chunk holding `ms`. */
  chunkOf(ms) {
    return Math.floor(ms / this.chunkMs) * this.chunkMs;
  }

  /** The request span of the chunk starting at `start`, clipped to the kept range: {fromMs, toMs}. */
  span(start) {
    return { fromMs: Math.max(start, this.fromMs), toMs: Math.min(start + this.chunkMs, this.toMs) };
  }

  /** Chunk starts to show `positionMs`, in the order to fetch them (the one holding it first); only kept ones. */
  wanted(positionMs) {
    const first = this.chunkOf(Math.max(this.fromMs, positionMs - this.behindMs));
    const last = this.chunkOf(Math.min(this.toMs - 1, positionMs + this.aheadMs));
    const here = this.chunkOf(positionMs);
    const starts = [];
    for (let s = first; s <= last; s += this.chunkMs) if (s + this.chunkMs > this.fromMs && s < this.toMs) starts.push(s);
    return starts.sort((a, b) => Math.abs(a - here) - Math.abs(b - here) || a - b);
  }

  /** The wanted chunks neither loaded nor loading (a failed one is asked again). */
  toFetch(positionMs) {
    return this.wanted(positionMs).filter((s) => {
      const st = this.state.get(s);
      return st !== 'loaded' && st !== 'loading';
    });
  }

  /** Chunk starts no longer wanted around `positionMs` and loaded: their windows can be let go. */
  toEvict(positionMs) {
    const keep = new Set(this.wanted(positionMs));
    return [...this.state.entries()].filter(([s, st]) => st === 'loaded' && !keep.has(s)).map(([s]) => s);
  }

  mark(start, state) {
    if (state === undefined) this.state.delete(start);
    else this.state.set(start, state);
  }

  /** True when the co-plays of the second at `ms` are in hand (or `ms` is outside the kept range). */
  isLoaded(ms) {
    if (ms < this.fromMs || ms >= this.toMs) return true;
    return this.state.get(this.chunkOf(ms)) === 'loaded';
  }

  /** The first second after `fromMs` up to `toMs` whose chunk is not loaded, or null when all are. */
  firstMissing(fromMs, toMs) {
    for (let s = this.chunkOf(fromMs); s <= toMs; s += this.chunkMs) {
      const at = Math.max(s, fromMs);
      if (at > toMs) break;
      if (!this.isLoaded(at)) return at;
    }
    return null;
  }
}
