// The timeline's zoomed strip: the hour holding the played-back moment, one bin per minute from the minute counts
// (over days of kept range a minute is far below a pixel on the overview). Pure, tested under node.

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
const MIN_BAR = 0.04;

/** Start of the UTC hour holding `ms`. */
export function hourOf(ms) {
  return Math.floor(ms / HOUR) * HOUR;
}

export class HourZoom {
  /**
   * @param {number} hourMs  start of the hour shown
   * @param {number} width   drawing width
   * @param {{fromMs: number, toMs: number}} range  the kept range (to exclusive)
   */
  constructor(hourMs, width, range) {
    this.hourMs = hourMs;
    this.width = width;
    this.range = range;
  }

  /** x of an event time, clamped to the strip. */
  x(ms) {
    return (Math.min(1, Math.max(0, (ms - this.hourMs) / HOUR))) * this.width;
  }

  /** The whole second at x, within both the hour and the kept range. */
  at(x) {
    const f = Math.min(1, Math.max(0, x / this.width));
    const ms = Math.floor((this.hourMs + f * HOUR) / 1000) * 1000;
    const lastKept = Math.ceil(this.range.toMs / 1000) * 1000 - 1000;
    return Math.min(lastKept, this.hourMs + HOUR - 1000, Math.max(this.range.fromMs, ms));
  }

  /**
   * One bin per minute of the hour: {minuteMs, x, width, state, height 0..1}. state: 'count' (a count, height
   * relative to the busiest minute of the hour; 0 has height 0), 'none' (nothing kept: null, or outside the kept
   * range) or 'unknown' (not fetched yet).
   * @param {(minuteMs: number) => number|null|undefined} countOf
   */
  bins(countOf) {
    const raw = [];
    for (let i = 0; i < 60; i++) {
      const minuteMs = this.hourMs + i * MINUTE;
      const kept = minuteMs + MINUTE > this.range.fromMs && minuteMs < this.range.toMs;
      const count = kept ? countOf(minuteMs) : null;
      raw.push({ minuteMs, count });
    }
    const max = raw.reduce((top, b) => (Number.isFinite(b.count) ? Math.max(top, b.count) : top), 0);
    const w = this.width / 60;
    return raw.map(({ minuteMs, count }, i) => {
      const state = Number.isFinite(count) ? 'count' : count === null ? 'none' : 'unknown';
      // A minute with co-plays keeps a visible bar however quiet it is beside the busiest.
      const height = state === 'count' && count > 0 ? Math.max(MIN_BAR, count / max) : 0;
      return { minuteMs, x: i * w, width: w, state, height };
    });
  }
}

/**
 * The chunk starts (of `chunkMs`) covering the hour at `hourMs` within the kept range, nearest to `atMs` first: what
 * to fetch so that the strip has every minute's count.
 */
export function hourChunks(hourMs, chunkMs, range, atMs) {
  const starts = [];
  const from = Math.max(hourMs, Math.floor(range.fromMs / chunkMs) * chunkMs);
  const to = Math.min(hourMs + HOUR, range.toMs);
  for (let s = Math.floor(from / chunkMs) * chunkMs; s < to; s += chunkMs) starts.push(s);
  const here = Math.floor(atMs / chunkMs) * chunkMs;
  return starts.sort((a, b) => Math.abs(a - here) - Math.abs(b - here) || a - b);
}
