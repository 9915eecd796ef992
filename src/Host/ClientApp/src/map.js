// The world map: an SVG drawn with d3-geo (Natural Earth projection) from the world-atlas TopoJSON that the
// build copies next to the page, and one <g class="coplay"> per co-play holding a great-circle <path class="arc">
// and its two end points. Arcs draw themselves with a CSS stroke-dashoffset animation (pathLength="1", so no
// layout is needed to measure them), stay bright for a few seconds, then settle to a faint trace until they are
// a minute old or pushed out by newer ones (at most maxArcs are alive).
// The arcs are in an SVG of their own laid over the map's (same viewBox), on a compositing layer of its own: adding
// or removing an arc then repaints the arcs only, not the countries (which cost most to paint, and at 60x playback
// the arcs change every frame).

import { geoGraticule10, geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import { formatDistance, placeLabel, playsBucket, trackLabel } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const SPHERE = { type: 'Sphere' };

function svgEl(name, attributes = {}) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

export class MapView {
  /**
   * @param {HTMLElement} container  #map
   * @param {{ maxArcs?: number, freshMs?: number }} [options]
   */
  constructor(container, { maxArcs = 200, freshMs = 3500 } = {}) {
    this.container = container;
    this.maxArcs = maxArcs;
    this.freshMs = freshMs;
    /** @type {{ g: SVGGElement, ms: number, born: number, fresh: boolean }[]} oldest first */
    this.arcs = [];

    this.projection = geoNaturalEarth1().fitWidth(WIDTH, SPHERE).precision(0.5);
    this.path = geoPath(this.projection).digits(1);
    const [[, y0], [, y1]] = this.path.bounds(SPHERE);
    const height = Math.ceil(y1 - y0);
    this.projection.translate([this.projection.translate()[0], this.projection.translate()[1] - y0]);

    const svg = svgEl('svg', {
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': 'map-title map-desc',
      preserveAspectRatio: 'xMidYMid meet',
    });
    const title = svgEl('title', { id: 'map-title' });
    title.textContent = 'World map of co-plays';
    const desc = svgEl('desc', { id: 'map-desc' });
    desc.textContent =
      'Each arc joins two far-apart places where the same track started playing in the same second. ' +
      'The list of recent co-plays on this page gives the same information as text.';
    svg.append(title, desc);
    svg.append(svgEl('path', { class: 'sphere', d: this.path(SPHERE) }));
    svg.append(svgEl('path', { class: 'graticule', d: this.path(geoGraticule10()) }));
    this.landLayer = svgEl('g', { class: 'land-layer' });
    svg.append(this.landLayer);
    const overlay = svgEl('svg', {
      class: 'arc-overlay',
      viewBox: `0 0 ${WIDTH} ${height}`,
      preserveAspectRatio: 'xMidYMid meet',
      'aria-hidden': 'true',
    });
    this.arcLayer = svgEl('g', { class: 'arcs' });
    overlay.append(this.arcLayer);
    container.append(svg, overlay);
    this.svg = svg;
    this.updateCount();
  }

  /** Draws the countries from a world-atlas topology (countries-110m.json). */
  setWorld(topology) {
    const countries = topology.objects.countries;
    const land = svgEl('path', { class: 'land', d: this.path(feature(topology, countries)) });
    const borders = svgEl('path', {
      class: 'borders',
      d: this.path(mesh(topology, countries, (a, b) => a !== b)),
    });
    this.landLayer.replaceChildren(land, borders);
  }

  /**
   * Adds one co-play. fresh = animate (a live arrival); otherwise it is drawn at once as a faint trace.
   * @param {{ item: object, ms: number }} entry
   */
  add(entry, fresh, now = performance.now()) {
    const { item } = entry;
    const g = svgEl('g', { class: `coplay p${playsBucket(item.plays)}${fresh ? ' fresh' : ''}` });
    const a = [item.a.lon, item.a.lat];
    const b = [item.b.lon, item.b.lat];
    const d = this.path({ type: 'LineString', coordinates: [a, b] });
    if (!d) return;
    const arc = svgEl('path', { class: 'arc', d, pathLength: 1 });
    const title = svgEl('title');
    title.textContent = `${trackLabel(item)}: ${placeLabel(item.a)} – ${placeLabel(item.b)}, ${formatDistance(item.distanceKm)}`;
    arc.append(title);
    g.append(arc);
    for (const p of [a, b]) {
      const xy = this.projection(p);
      if (xy) g.append(svgEl('circle', { class: 'arc-end', cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 2.2 }));
    }
    this.arcLayer.append(g);
    this.arcs.push({ g, ms: entry.ms, born: now, fresh });
    while (this.arcs.length > this.maxArcs) this.arcs.shift().g.remove();
    this.updateCount();
  }

  /** Removes every arc. */
  clear() {
    for (const arc of this.arcs) arc.g.remove();
    this.arcs = [];
    this.updateCount();
  }

  /**
   * Periodic upkeep: fresh arcs older than freshMs settle; arcs whose window is older than cutoffMs go.
   */
  sweep(cutoffMs, now = performance.now()) {
    let removed = 0;
    const kept = [];
    for (const arc of this.arcs) {
      if (arc.ms < cutoffMs) {
        arc.g.remove();
        removed++;
        continue;
      }
      if (arc.fresh && now - arc.born >= this.freshMs) {
        arc.fresh = false;
        arc.g.classList.remove('fresh');
      }
      kept.push(arc);
    }
    if (removed > 0) {
      this.arcs = kept;
      this.updateCount();
    }
  }

  setPaused(paused) {
    this.container.classList.toggle('paused', paused);
  }

  updateCount() {
    this.container.dataset.arcCount = String(this.arcs.length);
  }

  get count() {
    return this.arcs.length;
  }
}
