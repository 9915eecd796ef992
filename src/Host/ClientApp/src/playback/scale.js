// The timeline's scale: the kept range [fromMs, toMs) onto [0, width]. Pure, tested under node.

const MIN_BAR_WIDTH = 2;

export class TimeScale {
  constructor(fromMs, toMs, width) {
    this.fromMs = fromMs;
    this.toMs = Math.max(toMs, fromMs + 1000);
    this.width = width;
  }

  /** x of an event time, clamped to the timeline. */
  x(ms) {
    const f = (ms - this.fromMs) / (this.toMs - this.fromMs);
    return Math.min(1, Math.max(0, f)) * this.width;
  }

  /** The whole second at x, within the kept range (its last second at the right end). */
  at(x) {
    const f = Math.min(1, Math.max(0, x / this.width));
    const ms = this.fromMs + f * (this.toMs - this.fromMs);
    return Math.min(Math.floor(ms / 1000) * 1000, Math.ceil(this.toMs / 1000) * 1000 - 1000);
  }

  /** Bars of per-minute counts: {x, width, height 0..1} for each minute with a count (null: no data, no bar). */
  bars(minutes) {
    const counts = minutes.filter((m) => Number.isFinite(m.coPlays));
    const max = counts.reduce((top, m) => Math.max(top, m.coPlays), 0);
    return counts.map((m) => {
      const x0 = this.x(m.minuteMs);
      const x1 = this.x(m.minuteMs + 60_000);
      // At least MIN_BAR_WIDTH, so that a minute stays visible on a day-long timeline.
      return { minuteMs: m.minuteMs, x: x0, width: Math.max(x1 - x0, MIN_BAR_WIDTH), height: max > 0 ? m.coPlays / max : 0 };
    });
  }
}
