// The playback link in the page's fragment: `#at=2026-11-26T14:05:00Z&speed=10`. Pure, tested under node.
// `at` is an ISO 8601 instant with a Z or an offset, floored to the whole second; `speed` is 1, 10 or 60 (1 when
// absent). Anything else is not a playback link, and the page stays live.

export const SPEEDS = Object.freeze([1, 10, 60]);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * @param {string} hash  location.hash, with or without its '#'
 * @returns {{ atMs: number, speed: number } | null}
 */
export function parsePlaybackHash(hash) {
  if (typeof hash !== 'string') return null;
  const params = new Map();
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    let value;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return null;
    }
    params.set(part.slice(0, eq), value);
  }
  const at = params.get('at');
  if (at === undefined || !ISO_INSTANT.test(at)) return null;
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return null;
  const speedText = params.get('speed');
  const speed = speedText === undefined ? 1 : Number(speedText);
  if (!SPEEDS.includes(speed) || (speedText !== undefined && !/^\d+$/.test(speedText))) return null;
  return { atMs: Math.floor(ms / 1000) * 1000, speed };
}

/** `#at=2026-11-26T14:05:12Z&speed=10`, the moment floored to its second. */
export function formatPlaybackHash(atMs, speed) {
  return `#at=${isoSecond(atMs)}&speed=${speed}`;
}

/** `2026-11-26T14:05:12Z` */
export function isoSecond(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-11-26 14:05:12 UTC`, for the banner. */
export function formatUtcSecond(ms) {
  return `${isoSecond(ms).replace('T', ' ').replace('Z', '')} UTC`;
}
