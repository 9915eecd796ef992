// Listening Together: the live page. Wires the hub (connection.js) to the map, the ticker and the panels, and
// playback (playback/controller.js), which shows a past second on the same map, ticker and panels.

import './app.css';
import { connect } from './connection.js';
import { allCountries } from './countries.js';
import { countryName, matchesCountry } from './format.js';
import { MapView } from './map.js';
import { Counters, TopTracks } from './panels.js';
import { PlaybackController } from './playback/controller.js';
import { topTracksOf } from './playback/top.js';
import { RecentStore } from './store.js';
import { Ticker } from './ticker.js';

const WORLD_URL = 'countries-110m.json';
const HUB_URL = '/hub/coplays';
const SWEEP_EVERY_MS = 500;

const STATE_LABELS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
};

const $ = (id) => document.getElementById(id);

// At most 200 arcs alive (80 on a phone-sized screen, where the map is small and the device slower).
const smallScreen = window.matchMedia('(max-width: 40em)');
const arcBudget = () => (smallScreen.matches ? 80 : 200);
const map = new MapView($('map'), { maxArcs: arcBudget(), freshMs: 2500 });
// The live timeline's co-plays; a repeat (a reconnect's catch-up, a second site replica) is drawn once only.
// They keep coming in during playback, so that LIVE shows the last minute at once.
const liveStore = new RecentStore({ maxAgeMs: 60_000, maxItems: 2_000 });
// The played-back minute; cleared on every seek and on LIVE.
const playbackStore = new RecentStore({ maxAgeMs: 60_000, maxItems: 2_000 });
/** The store the map, ticker and filter show: liveStore, or playbackStore during playback. */
let store = liveStore;
const ticker = new Ticker($('ticker'), $('ticker-empty'), $('ticker-held'), {
  source: (limit) => store.latest(limit, visible),
  maxItems: 40,
  announceEveryMs: 10_000,
});
const counters = new Counters();
const topTracks = new TopTracks($('top-tracks'), $('top-tracks-empty'));

const pauseButton = $('pause');
const pausedNote = $('paused-note');
const filter = $('country-filter');
const filterStatus = $('filter-status');
const stateEl = $('connection-state');

let paused = false;
let playingBack = false;
let country = '';
let latestStats = null;
let connectionState = 'connecting';

const visible = (item) => matchesCountry(item, country);

// ---- the map outlines (same origin, copied from world-atlas at build time)

fetch(WORLD_URL)
  .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${WORLD_URL}: HTTP ${r.status}`))))
  .then((topology) => map.setWorld(topology))
  .catch((err) => {
    console.warn('[page] map outlines unavailable', err);
    $('map-note').textContent = 'The country outlines could not be loaded; arcs are still drawn.';
  });

// ---- country filter

const knownCountries = new Set();
for (const { code, name } of allCountries()) addOption(code, name);

function addOption(code, name, sorted = false) {
  knownCountries.add(code);
  const option = new Option(name, code);
  if (!sorted) {
    filter.add(option);
    return;
  }
  const collator = new Intl.Collator('en');
  const before = Array.from(filter.options).find((o) => o.value !== '' && collator.compare(o.text, name) > 0);
  filter.add(option, before ?? null);
}

function noteCountries(entries) {
  for (const { item } of entries) {
    for (const place of [item.a, item.b]) {
      const code = typeof place.country === 'string' ? place.country.toUpperCase() : '';
      if (/^[A-Z]{2}$/.test(code) && !knownCountries.has(code)) addOption(code, countryName(code), true);
    }
  }
}

filter.addEventListener('change', () => {
  country = filter.value;
  renderSnapshot();
  const shown = store.latest(store.maxItems, visible).length;
  filterStatus.textContent = country
    ? `Showing co-plays with one end in ${countryName(country)}: ${shown} in the last minute.`
    : 'Showing co-plays in every country.';
});

// ---- drawing

/** Redraws the map from the last minute of co-plays, without animation. */
function renderMap() {
  map.clear();
  for (const entry of store.latest(map.maxArcs, visible)) map.add(entry, false);
}

/** Redraws the map and the ticker (on connect, filter change, when the tab shows again). */
function renderSnapshot() {
  renderMap();
  ticker.reset();
}

function onCoPlays(items) {
  if (!Array.isArray(items)) return;
  const added = liveStore.add(items);
  noteCountries(added);
  // Drawn from the store on resume, when the tab shows again or on LIVE.
  if (paused || playingBack || document.hidden) return;
  const shown = arrivals(added);
  const now = performance.now();
  for (const entry of shown.slice(-map.maxArcs)) map.add(entry, true, now);
  ticker.add(shown.slice(-ticker.maxItems), now); // ignored while the list is held; rebuilt from the store afterwards
}

/** The entries to draw, in drawing order. Farthest last: drawn on top of the map and listed at the top of the ticker. */
function arrivals(added) {
  return added.filter((e) => visible(e.item)).sort((x, y) => x.ms - y.ms || x.item.distanceKm - y.item.distanceKm);
}

function onRecent(items) {
  if (!Array.isArray(items)) return;
  noteCountries(liveStore.add(items));
  if (!paused && !playingBack && !document.hidden) renderSnapshot();
}

function onStats(stats) {
  if (stats === null || typeof stats !== 'object') return;
  latestStats = stats;
  if (!paused && !playingBack) applyStats(stats);
}

function applyStats(stats) {
  counters.update(stats);
  topTracks.update(stats.topTracks);
}

window.setInterval(() => {
  if (!paused && !document.hidden) map.sweep(store.cutoffMs());
}, SWEEP_EVERY_MS);

smallScreen.addEventListener('change', () => {
  map.maxArcs = arcBudget();
  if (!paused) renderMap();
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !paused) renderSnapshot();
});

// ---- pause / resume

pauseButton.addEventListener('click', () => setPaused(!paused));

function setPaused(value) {
  paused = value;
  pauseButton.setAttribute('aria-pressed', String(paused));
  pausedNote.hidden = !paused;
  map.setPaused(paused);
  ticker.setPaused(paused); // on resume the list is rebuilt from the newest co-plays (unless held)
  if (!paused) {
    renderMap();
    if (latestStats) applyStats(latestStats);
  }
}

// ---- connection

function setState(state) {
  connectionState = state;
  // During playback the header says so, whatever the live connection does meanwhile.
  const shown = playingBack ? 'playback' : state;
  stateEl.dataset.state = shown;
  stateEl.textContent = playingBack ? 'Playback' : (STATE_LABELS[state] ?? state);
}

// ---- playback

const countersHeading = $('counters-heading');
const topHeading = $('top-heading');
const liveHeadings = [countersHeading.textContent, topHeading.textContent];

/** @type {import('./playback/controller.js').PlaybackView} */
const playbackView = {
  enter() {
    if (paused) setPaused(false);
    playingBack = true;
    store = playbackStore;
    pauseButton.hidden = true;
    countersHeading.textContent = 'Counters of the played-back minute';
    topHeading.textContent = 'That minute';
    setState(connectionState);
    counters.update({});
    renderSnapshot();
  },
  leave() {
    playingBack = false;
    playbackStore.clear();
    store = liveStore;
    pauseButton.hidden = false;
    [countersHeading.textContent, topHeading.textContent] = liveHeadings;
    setState(connectionState);
    renderSnapshot();
    if (latestStats) applyStats(latestStats);
    else counters.update({});
  },
  replace(items) {
    playbackStore.clear();
    noteCountries(playbackStore.add(items));
    renderSnapshot();
  },
  append(items, { animate, maxArcs }) {
    const added = playbackStore.add(items);
    noteCountries(added);
    const now = performance.now();
    // The farthest ones, as many as the map keeps at most (a slow frame at 60x may cover many seconds).
    for (const entry of arrivals(added).slice(-Math.min(maxArcs, map.maxArcs))) map.add(entry, animate, now);
  },
  refreshList() {
    if (!ticker.frozen) ticker.reset();
  },
  stats(minuteCoPlays) {
    counters.update({ coPlaysPerSecond: minuteCoPlays === null ? null : minuteCoPlays / 60 });
    topTracks.update(topTracksOf(playbackStore.entries));
  },
};

const playback = new PlaybackController({
  view: playbackView,
  elements: {
    panel: $('playback'),
    banner: $('playback-banner'),
    timeline: $('timeline'),
    play: $('play'),
    live: $('live'),
    speeds: Array.from(document.querySelectorAll('#playback .speed')),
    note: $('playback-note'),
  },
});
playback.start();

connect({
  url: HUB_URL,
  handlers: { coPlays: onCoPlays, recent: onRecent, stats: onStats },
  onState: setState,
});
