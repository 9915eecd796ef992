// The fetched co-plays of playback, window by window: what the map and ticker show as the played-back second
// passes. Pure, tested under node.

import { windowMillis } from '../format.js';

export class WindowBuffer {
  constructor() {
    /** window start (ms) -> co-plays of that window, in the order the server selected them */
    this.byWindow = new Map();
    /** minute (ms) -> co-plays of the minute (null: no data kept for it) */
    this.minutes = new Map();
  }

  /** Takes a response of GET /api/coplays. */
  addResponse(body) {
    for (const w of Array.isArray(body?.windows) ? body.windows : []) {
      const ms = windowMillis(w?.windowStart);
      if (Number.isFinite(ms) && Array.isArray(w.coPlays)) this.byWindow.set(ms, w.coPlays);
    }
    for (const m of Array.isArray(body?.minutes) ? body.minutes : []) {
      const ms = windowMillis(m?.minute);
      if (Number.isFinite(ms)) this.minutes.set(ms, Number.isFinite(m.coPlays) ? m.coPlays : null);
    }
  }

  /** Co-plays of the windows in (afterMs, uptoMs], in window order. */
  between(afterMs, uptoMs) {
    const starts = [...this.byWindow.keys()].filter((ms) => ms > afterMs && ms <= uptoMs).sort((a, b) => a - b);
    return starts.flatMap((ms) => this.byWindow.get(ms));
  }

  /** Lets go of the windows in [fromMs, toMs) (minute counts stay: the timeline keeps drawing them). */
  evict(fromMs, toMs) {
    for (const ms of this.byWindow.keys()) if (ms >= fromMs && ms < toMs) this.byWindow.delete(ms);
  }

  /** The minute counts known so far, oldest first: [{minuteMs, coPlays}]. */
  minuteCounts() {
    return [...this.minutes.entries()].sort((a, b) => a[0] - b[0]).map(([minuteMs, coPlays]) => ({ minuteMs, coPlays }));
  }

  /** Co-plays of the minute holding `ms`, or null when unknown. */
  minuteCount(ms) {
    return this.minutes.get(Math.floor(ms / 60_000) * 60_000) ?? null;
  }

  clear() {
    this.byWindow.clear();
  }
}
