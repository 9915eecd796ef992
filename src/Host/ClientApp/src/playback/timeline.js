// The timeline, in two rows. The overview spans the whole kept range (often days, where a minute is far below a
// pixel): the cursor, the zoomed hour as a band, and a bar per minute counted so far. The zoomed strip below spans
// the UTC hour of the cursor with a bar per minute from its counts (hatched: nothing kept; blank: not fetched yet).
// Click or drag either row to a moment; as a slider (role="slider") it also takes the arrow keys (a second; with
// Shift a minute), Page Up/Down (ten minutes), Home and End. The strip is redrawn only when its hour changes or new
// counts arrive; a frame otherwise moves the two cursors.

import { formatUtcSecond, isoSecond } from './hash.js';
import { TimeScale } from './scale.js';
import { HourZoom, hourOf, HOUR } from './zoom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const OVERVIEW_HEIGHT = 16;
const ZOOM_WIDTH = 600;
const ZOOM_HEIGHT = 40;
const HATCH_ID = 'timeline-none-hatch';

function svgEl(name, attributes = {}) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

/** `2026-11-26 14:00` */
function hourLabel(ms) {
  return isoSecond(ms).slice(0, 16).replace('T', ' ');
}

export class Timeline {
  /**
   * @param {HTMLElement} container  #timeline (role="slider", focusable)
   * @param {{ onSeek: (ms: number, done: boolean) => void }} options  done: false while dragging
   */
  constructor(container, { onSeek }) {
    this.container = container;
    this.onSeek = onSeek;
    this.range = null;
    this.scale = null;
    this.zoom = null;
    /** what the strip was last drawn from (its hour and minutes) */
    this.zoomKey = '';
    this.cursorMs = null;
    /** minute (ms) -> co-plays (null: nothing kept) */
    this.counts = new Map();
    this.minutes = [];

    this.overview = svgEl('svg', { class: 'timeline-overview', viewBox: `0 0 ${WIDTH} ${OVERVIEW_HEIGHT}`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    this.barLayer = svgEl('g', { class: 'timeline-bars' });
    this.hourBand = svgEl('rect', { class: 'timeline-hour', x: 0, y: 0, width: 0, height: OVERVIEW_HEIGHT });
    this.cursor = svgEl('rect', { class: 'timeline-cursor', x: 0, y: 0, width: 3, height: OVERVIEW_HEIGHT });
    this.overview.append(svgEl('rect', { class: 'timeline-track', x: 0, y: 0, width: WIDTH, height: OVERVIEW_HEIGHT }), this.hourBand, this.barLayer, this.cursor);

    this.zoomSvg = svgEl('svg', { class: 'timeline-zoom', viewBox: `0 0 ${ZOOM_WIDTH} ${ZOOM_HEIGHT}`, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    const hatch = svgEl('pattern', { id: HATCH_ID, patternUnits: 'userSpaceOnUse', width: 4, height: 4, patternTransform: 'rotate(45)' });
    hatch.append(svgEl('rect', { class: 'timeline-hatch', x: 0, y: 0, width: 1.5, height: 4 }));
    const defs = svgEl('defs');
    defs.append(hatch);
    this.zoomBars = svgEl('g', { class: 'timeline-zoom-bars' });
    this.zoomSvg.append(defs, svgEl('rect', { class: 'timeline-track', x: 0, y: 0, width: ZOOM_WIDTH, height: ZOOM_HEIGHT }), this.zoomBars);
    // The strip's cursor is a layer of its own over the strip, moved by a transform: a frame at 60x moves it
    // without repainting the strip's bars and hatching.
    this.zoomCursor = document.createElement('div');
    this.zoomCursor.className = 'timeline-zoom-cursor';
    this.zoomRow = document.createElement('div');
    this.zoomRow.className = 'timeline-zoom-row';
    this.zoomRow.append(this.zoomSvg, this.zoomCursor);

    this.labels = document.createElement('div');
    this.labels.className = 'timeline-labels';
    this.labels.setAttribute('aria-hidden', 'true');
    this.fromLabel = document.createElement('span');
    this.toLabel = document.createElement('span');
    this.labels.append(this.fromLabel, this.toLabel);

    this.showCursors(false);
    container.append(this.overview, this.zoomRow, this.labels);

    let dragging = null;
    let draggedMs = null;
    const seekAt = (e, done) => {
      const row = dragging === 'zoom' ? this.zoom : this.scale;
      const svg = dragging === 'zoom' ? this.zoomSvg : this.overview;
      if (!row) return;
      const box = svg.getBoundingClientRect();
      if (box.width <= 0) return;
      draggedMs = row.at(((e.clientX - box.left) / box.width) * row.width);
      this.onSeek(draggedMs, done);
    };
    container.addEventListener('pointerdown', (e) => {
      if (!this.scale || e.button !== 0) return;
      // The zoomed strip (and the labels under it) seek within its hour; the overview, within the kept range.
      dragging = this.overview.contains(/** @type {Node} */ (e.target)) ? 'overview' : 'zoom';
      container.setPointerCapture?.(e.pointerId);
      seekAt(e, false);
    });
    container.addEventListener('pointermove', (e) => {
      if (dragging) seekAt(e, false);
    });
    const end = (e) => {
      if (!dragging) return;
      seekAt(e, true);
      dragging = null;
    };
    container.addEventListener('pointerup', end);
    container.addEventListener('pointercancel', () => {
      if (!dragging) return;
      dragging = null;
      if (draggedMs !== null) this.onSeek(draggedMs, true); // where it was when the pointer was lost
    });
    container.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The kept range {fromMs, toMs}. */
  setRange(range) {
    this.range = range;
    this.scale = new TimeScale(range.fromMs, range.toMs, WIDTH);
    this.zoom = null;
    this.zoomKey = '';
    this.container.setAttribute('aria-valuemin', String(range.fromMs / 1000));
    this.container.setAttribute('aria-valuemax', String(range.toMs / 1000));
    this.container.dataset.from = new Date(range.fromMs).toISOString();
    this.container.dataset.to = new Date(range.toMs).toISOString();
    this.drawOverviewBars();
    this.setCursor(this.cursorMs);
  }

  /** New counts, [{minuteMs, coPlays}] (coPlays null: nothing kept): redraws the overview's bars and the strip. */
  setMinutes(minutes) {
    this.minutes = minutes;
    this.counts = new Map(minutes.map((m) => [m.minuteMs, m.coPlays]));
    if (!this.scale) return;
    this.drawOverviewBars();
    this.drawZoom();
  }

  drawOverviewBars() {
    if (!this.scale) return;
    const bars = this.scale.bars(this.minutes).map((b) => {
      const h = Math.max(1, b.height * (OVERVIEW_HEIGHT - 2));
      return svgEl('rect', { x: b.x.toFixed(2), y: (OVERVIEW_HEIGHT - h).toFixed(2), width: b.width.toFixed(2), height: h.toFixed(2) });
    });
    this.barLayer.replaceChildren(...bars);
  }

  /** The strip of the hour holding `ms` (the kept range's last hour when live); drawn only when its hour changes. */
  showHourOf(ms) {
    const hourMs = hourOf(ms);
    if (this.zoom?.hourMs === hourMs) return;
    this.zoom = new HourZoom(hourMs, ZOOM_WIDTH, this.range);
    this.zoomSvg.dataset.hour = isoSecond(hourMs);
    this.fromLabel.textContent = `${hourLabel(hourMs)} UTC`;
    this.toLabel.textContent = hourLabel(hourMs + HOUR).slice(11);
    const x0 = this.scale.x(hourMs);
    this.hourBand.setAttribute('x', x0.toFixed(2));
    this.hourBand.setAttribute('width', Math.max(2, this.scale.x(hourMs + HOUR) - x0).toFixed(2));
    this.drawZoom();
  }

  drawZoom() {
    if (!this.zoom) return;
    const bins = this.zoom.bins((ms) => this.counts.get(ms));
    // Counts of other hours arrive too: the strip is rebuilt only when its own minutes changed.
    const key = `${this.zoom.hourMs} ${bins.map((b) => (b.state === 'count' ? this.counts.get(b.minuteMs) : b.state)).join()}`;
    if (key === this.zoomKey) return;
    this.zoomKey = key;
    const rects = [];
    let none = null; // the hatched run of minutes with nothing kept being drawn, one rect for the run
    for (const b of bins) {
      if (b.state !== 'none') none = null;
      if (b.state === 'unknown') continue;
      const minute = isoSecond(b.minuteMs);
      if (b.state === 'none') {
        if (none) none.setAttribute('width', (b.x + b.width - Number(none.getAttribute('x'))).toFixed(2));
        else {
          none = svgEl('rect', { class: 'none', x: b.x.toFixed(2), y: 0, width: b.width.toFixed(2), height: ZOOM_HEIGHT, fill: `url(#${HATCH_ID})`, 'data-minute': minute });
          rects.push(none);
        }
        continue;
      }
      // 0 co-plays: a flat line on the floor, unlike the hatching of a minute with nothing kept.
      const h = b.height > 0 ? b.height * (ZOOM_HEIGHT - 2) : 1;
      const rect = svgEl('rect', {
        class: b.height > 0 ? 'count' : 'count zero',
        x: (b.x + 0.5).toFixed(2),
        y: (ZOOM_HEIGHT - h).toFixed(2),
        width: (b.width - 1).toFixed(2),
        height: h.toFixed(2),
        'data-minute': minute,
        'data-count': this.counts.get(b.minuteMs),
      });
      rects.push(rect);
    }
    this.zoomBars.replaceChildren(...rects);
  }

  showCursors(shown) {
    this.cursor.style.display = shown ? '' : 'none';
    this.zoomCursor.style.display = shown ? '' : 'none';
  }

  /** Moves the cursor (null: none, as when live; the strip then shows the last kept hour). */
  setCursor(ms) {
    this.cursorMs = ms;
    if (!this.scale) return;
    if (ms === null) {
      this.showCursors(false);
      this.container.setAttribute('aria-valuetext', 'Live');
      this.showHourOf(this.scale.toMs - 1);
      return;
    }
    this.showHourOf(ms);
    this.showCursors(true);
    this.cursor.setAttribute('x', (Math.min(this.scale.x(ms), WIDTH - 3)).toFixed(2));
    this.zoomCursor.style.transform = `translateX(${Math.min(99.6, (this.zoom.x(ms) / ZOOM_WIDTH) * 100).toFixed(2)}%)`;
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
