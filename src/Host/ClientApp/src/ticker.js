// The ticker: #ticker, an <ol aria-live="polite"> of li.ticker-item, newest first, at most maxItems long.
//
// Up to 20 co-plays a second would make a live region unusable, so only one entry every announceEveryMs is
// inserted visible to assistive technology; the others are inserted aria-hidden (content outside the
// accessibility tree is never announced). While the page is paused the list stops changing, its live region is
// switched off and every entry is exposed, so a screen-reader user can read the whole list at leisure.

import { formatDistance, formatTime, placeLabel } from './format.js';
import { trackElement } from './track.js';

export class Ticker {
  /**
   * @param {HTMLOListElement} list  #ticker
   * @param {HTMLElement} empty      the "waiting for co-plays" note shown while the list is empty
   */
  constructor(list, empty, { maxItems = 40, announceEveryMs = 10_000 } = {}) {
    this.list = list;
    this.empty = empty;
    this.maxItems = maxItems;
    this.announceEveryMs = announceEveryMs;
    this.lastAnnounced = Number.NEGATIVE_INFINITY;
    this.liveTimer = 0;
  }

  /** Live arrivals, oldest first: each goes on top. */
  add(entries, now = performance.now()) {
    if (entries.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (let i = entries.length - 1; i >= 0; i--) {
      const li = renderItem(entries[i].item);
      // The newest entry of this batch is the one that may be announced.
      const announce = i === entries.length - 1 && now - this.lastAnnounced >= this.announceEveryMs;
      if (announce) this.lastAnnounced = now;
      else li.setAttribute('aria-hidden', 'true');
      fragment.append(li);
    }
    this.list.prepend(fragment);
    this.trim();
  }

  /** Replaces the whole list (oldest first in, newest on top), announcing nothing. */
  reset(entries) {
    this.setLive(false);
    const items = entries.slice(-this.maxItems).reverse().map((e) => {
      const li = renderItem(e.item);
      li.setAttribute('aria-hidden', 'true');
      return li;
    });
    this.list.replaceChildren(...items);
    this.updateEmpty();
    // Back to polite once the accessibility tree has caught up with the (hidden) replacement.
    this.liveTimer = window.setTimeout(() => this.setLive(true), 500);
  }

  /** Paused: freeze the list and expose every entry (with announcements off, so exposing them says nothing). */
  setPaused(paused) {
    if (paused) {
      this.setLive(false);
      for (const li of this.list.children) li.removeAttribute('aria-hidden');
    }
    // On resume the caller re-renders with reset(), which turns the live region back on.
  }

  setLive(on) {
    window.clearTimeout(this.liveTimer);
    this.list.setAttribute('aria-live', on ? 'polite' : 'off');
  }

  trim() {
    while (this.list.children.length > this.maxItems) this.list.lastElementChild.remove();
    this.updateEmpty();
  }

  updateEmpty() {
    this.empty.hidden = this.list.children.length > 0;
  }
}

function renderItem(item) {
  const li = document.createElement('li');
  li.className = 'ticker-item';

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
