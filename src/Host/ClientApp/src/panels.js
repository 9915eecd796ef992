// Live counters and the "right now" panel, both fed by the hub's stats(s) about once a second.

import { formatRate } from './format.js';
import { trackElement } from './track.js';

export class Counters {
  constructor(doc = document) {
    this.fields = [
      ['playsPerSecond', doc.getElementById('counter-plays')],
      ['eligiblePerSecond', doc.getElementById('counter-eligible')],
      ['coPlaysPerSecond', doc.getElementById('counter-coplays')],
      ['viewers', doc.getElementById('counter-viewers')],
    ];
  }

  update(stats) {
    for (const [key, el] of this.fields) {
      if (!el) continue;
      const value = stats?.[key];
      const text = formatRate(value);
      if (el.textContent !== text) el.textContent = text;
      el.dataset.value = Number.isFinite(value) ? String(value) : '';
    }
  }
}

export class TopTracks {
  /**
   * @param {HTMLOListElement} list #top-tracks
   * @param {HTMLElement} empty     note shown while there is no track to list
   */
  constructor(list, empty, { max = 10 } = {}) {
    this.list = list;
    this.empty = empty;
    this.max = max;
  }

  /** Updates in place, row by row, so a focused link survives the once-a-second refresh when its row stays. */
  update(topTracks) {
    const tracks = Array.isArray(topTracks)
      ? topTracks.filter((t) => t && typeof t.trackId === 'string').slice(0, this.max)
      : [];
    const rows = this.list.children;
    for (let i = 0; i < tracks.length; i++) {
      const t = tracks[i];
      const key = `${t.trackId}\u0000${t.title ?? ''}\u0000${t.artist ?? ''}`;
      let li = rows[i];
      if (!li) {
        li = document.createElement('li');
        li.className = 'top-track';
        this.list.append(li);
      }
      if (li.dataset.key !== key) {
        li.dataset.key = key;
        const count = document.createElement('span');
        count.className = 'count';
        li.replaceChildren(trackElement(t), count);
      }
      const count = li.querySelector('.count');
      const text = `${t.coPlays} ${t.coPlays === 1 ? 'co-play' : 'co-plays'}`;
      if (count.textContent !== text) count.textContent = text;
    }
    while (rows.length > tracks.length) this.list.lastElementChild.remove();
    this.empty.hidden = tracks.length > 0;
  }
}
