// Playback (time travel): the timeline, play/pause, the speeds, LIVE, the #at= link and the keys, driving the page's
// map, ticker and counters (through `view`) from co-plays fetched a few minutes at a time. The played-back second
// advances once per animation frame, however many seconds of event time the frame covers (60x: about one a frame),
// so the map takes one batch per frame (arcs draw in with their animation at 1x only). The ticker, the counters
// and the link follow at their own slower pace while playing, at most one of them a frame (see chores()).

import { fetchCoPlays, fetchRange } from './api.js';
import { ChunkPlan } from './chunks.js';
import { PlaybackClock } from './clock.js';
import { formatPlaybackHash, formatUtcSecond, isoSecond, parsePlaybackHash, SPEEDS } from './hash.js';
import { Timeline } from './timeline.js';
import { WindowBuffer } from './windows.js';
import { hourChunks, hourOf } from './zoom.js';

const MINUTE = 60_000;
const RANGE_REFRESH_MS = 60_000;
const HASH_EVERY_MS = 2_000;
const STATS_EVERY_MS = 1_000;
const LIST_EVERY_MS = 500;
// At 60x a frame covers about a second of co-plays (up to 20): the map draws the farthest few of them, and so keeps
// its arcs for about half a second instead of a tenth, at a third of the drawing work a frame.
const ARCS_PER_FRAME_AT_60X = 7;
const RETRY_MS = 2_000;
const RATE_LIMITED_RETRY_MS = 10_000;
const MAX_IN_FLIGHT = 2;

/**
 * @typedef {object} PlaybackView  what the page does for playback (main.js)
 * @property {() => void} enter              stop showing live pushes
 * @property {() => void} leave              back to the live stream
 * @property {(items: object[]) => void} replace   show these co-plays (the minute up to the second) at once
 * @property {(items: object[], how: {animate: boolean, maxArcs: number}) => void} append  these newer co-plays,
 *   on the map at most maxArcs of them (the farthest)
 * @property {() => void} refreshList        list the newest co-plays shown (the ticker)
 * @property {(minuteCoPlays: number|null) => void} stats  counters and top tracks of the played-back second
 */

export class PlaybackController {
  /**
   * @param {{ view: PlaybackView, elements: Record<string, HTMLElement>, speeds?: number[] }} options
   */
  constructor({ view, elements }) {
    this.view = view;
    this.el = elements;
    this.range = null;
    this.active = false;
    this.speed = 1;
    this.clock = null;
    this.plan = null;
    this.buffer = new WindowBuffer();
    this.shownMs = null;
    this.loading = false;
    this.frame = 0;
    this.inFlight = 0;
    /** chunk starts whose counts are in the buffer's minutes (the timeline's zoomed strip) */
    this.counted = new Set();
    /** no fetch for the strip before this (performance.now()): a failure, perhaps a 429, is being waited out */
    this.backoffUntil = 0;
    this.generation = 0;
    this.lastHashAt = Number.NEGATIVE_INFINITY;
    this.lastStatsAt = Number.NEGATIVE_INFINITY;
    this.lastListAt = Number.NEGATIVE_INFINITY;
    this.listStale = false;
    this.statsStale = false;
    /** the timeline's cursor while it is dragged, else null */
    this.draggedMs = null;
    this.bannerText = '';
    this.timeline = new Timeline(elements.timeline, { onSeek: (ms, done) => this.seek(ms, done) });

    elements.play.addEventListener('click', () => this.togglePlay());
    elements.live.addEventListener('click', () => this.goLive());
    for (const button of elements.speeds) {
      button.addEventListener('click', () => this.setSpeed(Number(button.dataset.speed)));
    }
    document.addEventListener('keydown', (e) => this.onKey(e));
    window.addEventListener('hashchange', () => this.openHash());
    this.renderControls();
  }

  /** Loads the kept range, then opens the moment of the link, if any. */
  async start() {
    await this.refreshRange();
    this.openHash();
    window.setInterval(() => this.refreshRange(), RANGE_REFRESH_MS);
  }

  async refreshRange() {
    let range = null;
    try {
      range = await fetchRange();
    } catch (err) {
      console.warn('[playback] range unavailable', err);
    }
    if (range === null) {
      if (this.range === null) this.note('Nothing is kept to play back yet.');
      return;
    }
    const changed = this.range === null || range.fromMs !== this.range.fromMs || range.toMs !== this.range.toMs;
    this.range = range;
    if (!changed) return;
    this.el.panel.hidden = false;
    this.timeline.setRange(range);
    this.timeline.setMinutes(this.buffer.minuteCounts());
    this.note(`Kept: ${formatUtcSecond(range.fromMs)} to ${formatUtcSecond(range.toMs)}. Click or drag the timeline to play a moment back.`);
    if (this.active) {
      this.clock.setBounds(range.fromMs, this.lastSecond(), performance.now());
      this.plan = this.newPlan(this.plan);
    }
  }

  lastSecond() {
    return Math.ceil(this.range.toMs / 1000) * 1000 - 1000;
  }

  /** The plan of the current range, keeping what was loaded, but for the chunk that held its old end (it grew). */
  newPlan(previous) {
    const plan = new ChunkPlan({ fromMs: this.range.fromMs, toMs: this.range.toMs });
    if (previous) {
      const lastChunk = previous.chunkOf(previous.toMs - 1);
      for (const [start, state] of previous.state) if (state === 'loaded' && start !== lastChunk) plan.mark(start, state);
      this.counted.delete(lastChunk);
    }
    return plan;
  }

  /**
   * Opens the moment of location.hash; a bad one, or one outside the kept range, stays live (or goes back to it).
   * A fragment that is no playback link at all (the skip link's #coplays-heading) is left alone.
   */
  openHash() {
    const hash = window.location.hash;
    if (!/^#?(.*&)?(at|speed)=/.test(hash)) return;
    const link = parsePlaybackHash(hash);
    if (link === null) {
      this.note('That link is not a playback moment; showing live.');
      if (this.active) this.goLive();
      else this.clearHash();
      return;
    }
    if (this.range === null || link.atMs < this.range.fromMs || link.atMs > this.lastSecond()) {
      this.note(this.range === null
        ? 'Nothing is kept to play back; showing live.'
        : `${formatUtcSecond(link.atMs)} is not kept (kept: ${formatUtcSecond(this.range.fromMs)} to ${formatUtcSecond(this.range.toMs)}); showing live.`);
      if (this.active) this.goLive();
      else this.clearHash();
      return;
    }
    this.speed = link.speed;
    this.seek(link.atMs, true);
  }

  /**
   * Moves playback to `ms` (entering it from live, paused); playing stays playing. While the timeline is being
   * dragged (done false) only its cursor follows: nothing is fetched or drawn until it is let go.
   */
  seek(ms, done = true) {
    if (this.range === null) return;
    this.draggedMs = done ? null : ms;
    if (!done) {
      this.timeline.setCursor(ms);
      return;
    }
    const now = performance.now();
    if (!this.active) {
      this.active = true;
      this.generation++;
      this.plan = this.newPlan(null);
      this.buffer = new WindowBuffer();
      this.counted = new Set();
      this.clock = new PlaybackClock({ positionMs: ms, speed: this.speed, minMs: this.range.fromMs, maxMs: this.lastSecond() });
      this.view.enter();
    }
    this.clock.seek(ms, now);
    this.shownMs = null;
    this.fetchAround(this.clock.position(now));
    if (done) this.writeHash(now);
    this.renderControls();
    this.tick(now);
    this.loop();
  }

  togglePlay() {
    if (!this.active) {
      if (this.range === null) return;
      // From live, Play starts ten minutes back (or at the start of what is kept).
      this.seek(Math.max(this.range.fromMs, this.lastSecond() - 10 * MINUTE));
    }
    const now = performance.now();
    if (this.clock.playing) this.clock.pause(now);
    else {
      if (this.clock.atEnd(now)) this.clock.seek(this.range.fromMs, now);
      this.clock.play(now);
    }
    this.writeHash(now);
    this.renderControls();
    this.tick(now);
    this.loop();
  }

  setSpeed(speed) {
    if (!SPEEDS.includes(speed)) return;
    this.speed = speed;
    if (this.active) {
      const now = performance.now();
      this.clock.setSpeed(speed, now);
      this.writeHash(now);
    }
    this.renderControls();
  }

  step(deltaMs) {
    if (!this.active) return;
    const now = performance.now();
    this.seek(Math.floor(this.clock.position(now) / 1000) * 1000 + deltaMs);
  }

  goLive() {
    if (!this.active) return;
    this.active = false;
    this.generation++;
    window.cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.clock = null;
    this.shownMs = null;
    this.draggedMs = null;
    this.loading = false;
    this.buffer.clear();
    this.plan = null;
    this.inFlight = 0;
    this.timeline.setCursor(null);
    this.clearHash();
    this.view.leave();
    this.renderControls();
  }

  loop() {
    if (this.frame !== 0 || !this.active) return;
    const onFrame = (now) => {
      this.frame = 0;
      if (!this.active) return;
      this.tick(now);
      if (this.clock.playing || this.loading) this.frame = window.requestAnimationFrame(onFrame);
    };
    this.frame = window.requestAnimationFrame(onFrame);
  }

  /** One frame: shows every second up to the clock's, as far as the co-plays are in hand. */
  tick(now) {
    const clock = this.clock;
    let second = Math.floor(clock.position(now) / 1000) * 1000;
    const from = this.shownMs === null || second < this.shownMs ? second - MINUTE + 1000 : this.shownMs + 1000;
    const missing = second >= from ? this.plan.firstMissing(from, second) : null;
    this.loading = missing !== null;
    if (missing !== null) {
      // Wait for the chunk: the clock stands still, at the last second that can be shown.
      this.fetchAround(second);
      const position = clock.position(now);
      if (this.shownMs === null) {
        clock.seek(position, now);
        second = null;
      } else {
        second = Math.max(this.shownMs, missing - 1000);
        clock.seek(Math.min(position, second + 999), now);
      }
    }
    if (second !== null && second !== this.shownMs) {
      if (this.shownMs === null || second < this.shownMs || second - this.shownMs > MINUTE) {
        this.view.replace(this.buffer.between(second - MINUTE, second));
      } else {
        this.view.append(this.buffer.between(this.shownMs, second), {
          animate: this.speed === 1,
          maxArcs: this.speed >= 60 ? ARCS_PER_FRAME_AT_60X : Number.POSITIVE_INFINITY,
        });
        this.listStale = true;
      }
      this.statsStale = true;
      this.shownMs = second;
      if (this.draggedMs === null) this.timeline.setCursor(second);
      this.fetchAround(second);
      this.fillHour();
    }
    if (clock.playing && clock.atEnd(now) && !this.loading) {
      clock.pause(now);
      this.renderControls();
    }
    this.chores(now, clock.playing);
    this.renderBanner();
  }

  /**
   * The ticker, the counters and the link catch up with the shown second: all at once while standing still; while
   * playing, each at its own pace and at most one of them a frame, so that no frame at 60x does all three.
   */
  chores(now, playing) {
    const list = this.listStale && (!playing || now - this.lastListAt >= LIST_EVERY_MS);
    const stats = this.statsStale && (!playing || now - this.lastStatsAt >= STATS_EVERY_MS);
    if (list) {
      this.listStale = false;
      this.lastListAt = now;
      this.view.refreshList();
      if (playing) return;
    }
    if (stats) {
      this.statsStale = false;
      this.lastStatsAt = now;
      this.view.stats(this.buffer.minuteCount(this.shownMs));
      if (playing) return;
    }
    if (playing && now - this.lastHashAt >= HASH_EVERY_MS) this.writeHash(now);
  }

  /** Fetches the chunks around `positionMs` not yet in hand; lets go of those far from it. */
  fetchAround(positionMs) {
    const plan = this.plan;
    for (const start of plan.toEvict(positionMs)) {
      this.buffer.evict(start, start + plan.chunkMs);
      plan.mark(start, undefined);
    }
    for (const start of plan.toFetch(positionMs)) {
      if (this.inFlight >= MAX_IN_FLIGHT) break;
      this.fetchChunk(plan, start);
    }
  }

  /**
   * When playback has what it needs (nothing loading or in flight), fetches the rest of the shown hour, one chunk at
   * a time, nearest first, so that the timeline's zoomed strip has every minute's count. The API gives the counts
   * only with the co-plays; the windows are let go again at the next fetchAround.
   */
  fillHour() {
    if (!this.active || this.loading || this.inFlight > 0 || performance.now() < this.backoffUntil) return;
    const at = this.shownMs ?? this.currentSecond();
    const plan = this.plan;
    const start = hourChunks(hourOf(at), plan.chunkMs, this.range, at)
      .find((s) => !this.counted.has(s) && plan.state.get(s) !== 'loading');
    if (start !== undefined) this.fetchChunk(plan, start);
  }

  async fetchChunk(plan, start) {
    const generation = this.generation;
    const { fromMs, toMs } = plan.span(start);
    plan.mark(start, 'loading');
    this.inFlight++;
    let retryMs = 0;
    try {
      const body = await fetchCoPlays(fromMs, toMs);
      if (generation !== this.generation) return;
      this.buffer.addResponse(body);
      plan.mark(start, 'loaded');
      this.counted.add(start);
      this.timeline.setMinutes(this.buffer.minuteCounts());
    } catch (err) {
      if (generation !== this.generation) return;
      if (err?.status === 404) {
        plan.mark(start, 'loaded'); // nothing kept there: nothing to show
        this.counted.add(start);
      } else {
        console.warn(`[playback] ${isoSecond(fromMs)}..${isoSecond(toMs)}`, err);
        plan.mark(start, 'failed');
        retryMs = err?.retryAfterMs || (err?.status === 429 ? RATE_LIMITED_RETRY_MS : RETRY_MS);
        this.backoffUntil = performance.now() + retryMs;
      }
    } finally {
      if (generation === this.generation) this.inFlight--;
    }
    if (!this.active || generation !== this.generation) return;
    if (retryMs > 0) {
      window.setTimeout(() => {
        if (generation !== this.generation) return;
        if (plan.state.get(start) === 'failed') plan.mark(start, undefined);
        if (this.shownMs !== null || this.loading) this.fetchAround(this.currentSecond());
        this.fillHour();
        this.loop();
      }, retryMs);
      return;
    }
    this.fetchAround(this.currentSecond());
    this.fillHour();
    this.loop();
  }

  currentSecond() {
    return Math.floor(this.clock.position(performance.now()) / 1000) * 1000;
  }

  writeHash(now) {
    if (!this.active) return;
    this.lastHashAt = now;
    const hash = formatPlaybackHash(this.currentSecond(), this.speed);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }

  clearHash() {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  renderBanner() {
    const banner = this.el.banner;
    if (!this.active) {
      banner.hidden = true;
      this.bannerText = '';
      return;
    }
    const second = this.shownMs ?? this.currentSecond();
    const state = this.loading ? ' · loading…' : this.clock.playing ? '' : ' · paused';
    const text = `Playback · ${formatUtcSecond(second)} · ${this.speed}x${state}`;
    if (text === this.bannerText) return;
    this.bannerText = text;
    banner.textContent = text;
    banner.dataset.at = isoSecond(second);
    banner.hidden = false;
  }

  renderControls() {
    const playing = this.active && this.clock.playing;
    const play = this.el.play;
    play.setAttribute('aria-label', playing ? 'Pause playback' : 'Play back');
    play.dataset.playing = String(playing);
    play.querySelector('.label').textContent = playing ? 'Pause' : 'Play';
    for (const button of this.el.speeds) {
      button.setAttribute('aria-pressed', String(Number(button.dataset.speed) === this.speed));
    }
    this.el.live.setAttribute('aria-pressed', String(!this.active));
    this.el.panel.dataset.mode = this.active ? 'playback' : 'live';
    this.renderBanner();
  }

  note(text) {
    this.el.note.textContent = text;
  }

  onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = /** @type {HTMLElement} */ (e.target);
    if (target?.closest?.('input, select, textarea, [contenteditable="true"]')) return;
    if (e.key === 'l' || e.key === 'L') {
      e.preventDefault();
      this.goLive();
      return;
    }
    if (!this.active || target?.closest?.('button, a, [role="slider"]')) return; // their own keys
    if (e.key === ' ') {
      e.preventDefault();
      this.togglePlay();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      this.step((e.key === 'ArrowLeft' ? -1000 : 1000) * (e.shiftKey ? 60 : 1));
    }
  }
}
