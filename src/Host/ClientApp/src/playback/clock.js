// The playback clock: event time that runs at 1x, 10x or 60x of the wall clock while playing and stands still while
// paused. Pure: every call is given the wall clock (performance.now()), so it is tested under node.

export class PlaybackClock {
  /**
   * @param {{ positionMs: number, speed?: number, minMs?: number, maxMs?: number }} options  event times in epoch ms
   */
  constructor({ positionMs, speed = 1, minMs = Number.NEGATIVE_INFINITY, maxMs = Number.POSITIVE_INFINITY }) {
    this.speed = speed;
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.playing = false;
    /** event time at wall time `sinceWall` */
    this.anchorMs = this.clamp(positionMs);
    this.sinceWall = 0;
  }

  /** Event time (epoch ms) at wall time `now`, within [minMs, maxMs]. */
  position(now) {
    if (!this.playing) return this.anchorMs;
    return this.clamp(this.anchorMs + (now - this.sinceWall) * this.speed);
  }

  /** True when playing has reached maxMs (the end of what is kept). */
  atEnd(now) {
    return this.position(now) >= this.maxMs;
  }

  play(now) {
    if (this.playing) return;
    this.sinceWall = now;
    this.playing = true;
  }

  pause(now) {
    this.anchorMs = this.position(now);
    this.playing = false;
  }

  seek(positionMs, now) {
    this.anchorMs = this.clamp(positionMs);
    this.sinceWall = now;
  }

  setSpeed(speed, now) {
    this.anchorMs = this.position(now);
    this.sinceWall = now;
    this.speed = speed;
  }

  setBounds(minMs, maxMs, now) {
    const at = this.position(now);
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.seek(at, now);
  }

  clamp(ms) {
    return Math.min(this.maxMs, Math.max(this.minMs, ms));
  }
}
