// The timeline of the kept range: an SVG with a bar per minute (its co-plays, as far as the page has fetched them)
// and a cursor at the played-back second. Click or drag to a moment; as a slider (role="slider") it also takes
// the arrow keys (a second; with Shift a minute), Page Up/Down (ten minutes), Home and End.

import { formatUtcSecond } from './hash.js';
import { TimeScale } from './scale.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const HEIGHT = 40;

function svgEl(name, attributes = {}) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

export class Timeline {
  /**
   * @param {HTMLElement} container  #timeline (role="slider", focusable)
   * @param {{ onSeek: (ms: number, done: boolean) => void }} options  done: false while dragging
   */
  constructor(container, { onSeek }) {
    this.container = container;
    this.onSeek = onSeek;
    this.scale = null;
    this.cursorMs = null;
    this.svg = svgEl('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    this.barLayer = svgEl('g', { class: 'timeline-bars' });
    this.cursor = svgEl('rect', { class: 'timeline-cursor', x: 0, y: 0, width: 3, height: HEIGHT });
    this.cursor.style.display = 'none';
    this.svg.append(svgEl('rect', { class: 'timeline-track', x: 0, y: 0, width: WIDTH, height: HEIGHT }), this.barLayer, this.cursor);
    container.append(this.svg);

    let dragging = false;
    let draggedMs = null;
    const seekAt = (e, done) => {
      if (!this.scale) return;
      const box = this.svg.getBoundingClientRect();
      if (box.width <= 0) return;
      draggedMs = this.scale.at(((e.clientX - box.left) / box.width) * WIDTH);
      this.onSeek(draggedMs, done);
    };
    container.addEventListener('pointerdown', (e) => {
      if (!this.scale || e.button !== 0) return;
      dragging = true;
      container.setPointerCapture?.(e.pointerId);
      seekAt(e, false);
    });
    container.addEventListener('pointermove', (e) => {
      if (dragging) seekAt(e, false);
    });
    const end = (e) => {
      if (!dragging) return;
      dragging = false;
      seekAt(e, true);
    };
    container.addEventListener('pointerup', end);
    container.addEventListener('pointercancel', () => {
      if (!dragging) return;
      dragging = false;
      if (draggedMs !== null) this.onSeek(draggedMs, true); // where it was when the pointer was lost
    });
    container.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The kept range {fromMs, toMs}. */
  setRange(range) {
    this.scale = new TimeScale(range.fromMs, range.toMs, WIDTH);
    this.container.setAttribute('aria-valuemin', String(range.fromMs / 1000));
    this.container.setAttribute('aria-valuemax', String(range.toMs / 1000));
    this.container.dataset.from = new Date(range.fromMs).toISOString();
    this.container.dataset.to = new Date(range.toMs).toISOString();
    if (this.cursorMs !== null) this.setCursor(this.cursorMs);
  }

  /** Redraws the bars from [{minuteMs, coPlays}] (coPlays null: nothing kept, no bar). */
  setMinutes(minutes) {
    if (!this.scale) return;
    const bars = this.scale.bars(minutes).map((b) => {
      const h = Math.max(1, b.height * (HEIGHT - 4));
      const rect = svgEl('rect', { x: b.x.toFixed(2), y: (HEIGHT - h).toFixed(2), width: b.width.toFixed(2), height: h.toFixed(2) });
      return rect;
    });
    this.barLayer.replaceChildren(...bars);
  }

  /** Moves the cursor (null: none, as when live). */
  setCursor(ms) {
    this.cursorMs = ms;
    if (ms === null || !this.scale) {
      this.cursor.style.display = 'none';
      this.container.setAttribute('aria-valuetext', 'Live');
      return;
    }
    this.cursor.style.display = '';
    this.cursor.setAttribute('x', (Math.min(this.scale.x(ms), WIDTH - 3)).toFixed(2));
    this.container.setAttribute('aria-valuenow', String(Math.floor(ms / 1000)));
    this.container.setAttribute('aria-valuetext', formatUtcSecond(ms));
  }

  onKey(e) {
    if (!this.scale) return;
    const at = this.cursorMs ?? this.scale.toMs - 1000;
    const steps = {
      ArrowLeft: -1000,
      ArrowDown: -1000,
      ArrowRight: 1000,
      ArrowUp: 1000,
      PageDown: -600_000,
      PageUp: 600_000,
    };
    let target;
    if (e.key in steps) target = at + steps[e.key] * (e.shiftKey && e.key.startsWith('Arrow') ? 60 : 1);
    else if (e.key === 'Home') target = this.scale.fromMs;
    else if (e.key === 'End') target = this.scale.toMs - 1000;
    else return;
    e.preventDefault();
    e.stopPropagation();
    this.onSeek(Math.min(this.scale.toMs - 1000, Math.max(this.scale.fromMs, target)), true);
  }
}
