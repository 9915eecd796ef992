// The ticker: #ticker, an <ol aria-live="polite"> of li.ticker-item, newest first, at most maxItems long.
//
// Up to 20 co-plays a second would make a live region unusable and its links impossible to hit, so while the
// list flows only one entry every announceEveryMs is inserted as a normal element (and so announced); the others
// are inserted `inert` (outside the accessibility tree, never announced, not focusable, not clickable).
// The list holds still and exposes every entry, with its live region switched off, while it is paused, while the
// pointer is over it and while the keyboard focus is inside it (the <ol> itself is focusable), so anyone can read
// it and follow its links. When the hold ends, the list is rebuilt from the newest co-plays (via `source`).

import { formatDistance, formatTime, placeLabel } from './format.js';
import { trackElement } from './track.js';

export class Ticker {
  /**
   * @param {HTMLOListElement} list  #ticker
   * @param {HTMLElement} empty      the "waiting for co-plays" note shown while the list is empty
   * @param {HTMLElement} heldNote   shown while the pointer or the focus holds the list
   * @param {{ source: (limit: number) => {item: object}[], maxItems?: number, announceEveryMs?: number }} options
   */
  constructor(list, empty, heldNote, { source, maxItems = 40, announceEveryMs = 10_000 }) {
    this.list = list;
    this.empty = empty;
    this.heldNote = heldNote;
    this.source = source;
    this.maxItems = maxItems;
    this.announceEveryMs = announceEveryMs;
    this.lastAnnounced = Number.NEGATIVE_INFINITY;
    this.liveTimer = 0;
    this.paused = false;
    this.pointerInside = false;
    this.focusInside = false;

    list.addEventListener('pointerenter', () => this.setHold('pointer', true));
    list.addEventListener('pointerleave', () => this.setHold('pointer', false));
    list.addEventListener('focusin', () => this.setHold('focus', true));
    list.addEventListener('focusout', (e) => {
      if (!list.contains(/** @type {Node|null} */ (e.relatedTarget))) this.setHold('focus', false);
    });
  }

  /** True while the list is held still (paused, pointed at or focused). */
  get frozen() {
    return this.paused || this.pointerInside || this.focusInside;
  }

  /** Live arrivals, oldest first: each goes on top. Ignored while frozen (the caller keeps them). */
  add(entries, now = performance.now()) {
    if (entries.length === 0 || this.frozen) return;
    const fragment = document.createDocumentFragment();
    for (let i = entries.length - 1; i >= 0; i--) {
      const li = renderItem(entries[i].item);
      // The newest entry of this batch is the one that may be announced.
      if (i === entries.length - 1 && now - this.lastAnnounced >= this.announceEveryMs) this.lastAnnounced = now;
      else li.inert = true;
      fragment.append(li);
    }
    this.list.prepend(fragment);
    while (this.list.children.length > this.maxItems) this.list.lastElementChild.remove();
    this.updateEmpty();
  }

  /** Replaces the whole list with the newest entries from source, announcing nothing. */
  reset() {
    window.clearTimeout(this.liveTimer);
    this.setLive(false);
    const frozen = this.frozen;
    const items = this.source(this.maxItems)
      .slice(-this.maxItems)
      .reverse()
      .map((e) => {
        const li = renderItem(e.item);
        li.inert = !frozen;
        return li;
      });
    this.list.replaceChildren(...items);
    this.updateEmpty();
    // Back to polite once the accessibility tree has caught up with the silent replacement.
    if (!frozen) this.liveTimer = window.setTimeout(() => this.setLive(true), 500);
  }

  setPaused(paused) {
    this.update(() => {
      this.paused = paused;
    });
  }

  setHold(kind, on) {
    this.update(() => {
      if (kind === 'pointer') this.pointerInside = on;
      else this.focusInside = on;
    });
  }

  update(change) {
    const was = this.frozen;
    change();
    const now = this.frozen;
    this.heldNote.hidden = !(now && !this.paused);
    if (now === was) return;
    if (now) {
      window.clearTimeout(this.liveTimer);
      this.setLive(false);
      for (const li of this.list.children) li.inert = false;
    } else {
      this.reset();
    }
  }

  setLive(on) {
    this.list.setAttribute('aria-live', on ? 'polite' : 'off');
  }

  updateEmpty() {
    this.empty.hidden = this.list.children.length > 0;
  }
}

function renderItem(item) {
  const li = document.createElement('li');
  li.className = 'ticker-item';
  // What the row shows, for tests and tools: the track id and the window start.
  li.dataset.track = item.trackId;
  li.dataset.window = item.windowStart;

  const track = document.createElement('p');
  track.className = 'ticker-track';
  track.append(trackElement(item));

  const places = document.createElement('p');
  places.className = 'ticker-places';
  const a = document.createElement('span');
  a.className = 'place';
  a.textContent = placeLabel(item.a);
  const sep = document.createElement('span');
  sep.className = 'sep';
  sep.setAttribute('aria-hidden', 'true');
  sep.textContent = ' ↔ ';
  const and = document.createElement('span');
  and.className = 'visually-hidden';
  and.textContent = ' and ';
  const b = document.createElement('span');
  b.className = 'place';
  b.textContent = placeLabel(item.b);
  places.append(a, sep, and, b);

  const meta = document.createElement('p');
  meta.className = 'ticker-meta';
  const distance = document.createElement('span');
  distance.className = 'distance';
  distance.textContent = formatDistance(item.distanceKm);
  const time = document.createElement('time');
  time.dateTime = item.windowStart;
  time.textContent = formatTime(item.windowStart);
  meta.append(distance, ' · ', time);
  if (Number.isFinite(item.plays) && Number.isFinite(item.locations)) {
    meta.append(` · ${item.plays} ${item.plays === 1 ? 'play' : 'plays'} in ${item.locations} places`);
  }

  li.append(track, places, meta);
  return li;
}
