// Pure formatting helpers: no DOM, no globals, so they run under `node --test` too.

const SPOTIFY_TRACK = /^spotify:track:([A-Za-z0-9]{22})$/;

/** "title — artist" when the title is known (just the title without an artist), else the track id. */
export function trackLabel(track) {
  const title = nonEmpty(track?.title);
  if (title === null) return String(track?.trackId ?? '');
  const artist = nonEmpty(track?.artist);
  return artist === null ? title : `${title} — ${artist}`;
}

/** https://open.spotify.com/track/<id> for a Spotify track URI, else null. */
export function spotifyUrl(trackId) {
  const m = typeof trackId === 'string' ? SPOTIFY_TRACK.exec(trackId) : null;
  return m ? `https://open.spotify.com/track/${m[1]}` : null;
}

let regionNames = null;
function regions() {
  if (regionNames === null) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    } catch {
      regionNames = { of: () => undefined };
    }
  }
  return regionNames;
}

/** English name of an ISO 3166-1 alpha-2 code ("JP" -> "Japan"); the code itself when unknown. */
export function countryName(code) {
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return code ?? '';
  try {
    return regions().of(code.toUpperCase()) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

/** "34.7°N 135.5°E" */
export function formatCoordinates(lat, lon) {
  const ns = lat < 0 ? 'S' : 'N';
  const ew = lon < 0 ? 'W' : 'E';
  return `${Math.abs(lat).toFixed(1)}°${ns} ${Math.abs(lon).toFixed(1)}°${ew}`;
}

/** "Osaka, Japan"; "Japan" without a city; coordinates when neither is known. */
export function placeLabel(place) {
  if (!place) return '';
  const city = nonEmpty(place.city);
  const country = nonEmpty(place.country);
  if (city !== null && country !== null) return `${city}, ${countryName(country)}`;
  if (city !== null) return city;
  if (country !== null) return countryName(country);
  return formatCoordinates(Number(place.lat), Number(place.lon));
}

const km = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** "15,000 km" */
export function formatDistance(distanceKm) {
  return `${km.format(Math.round(Number(distanceKm) || 0))} km`;
}

const rateWhole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const rateSmall = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** Rates and counts for the counters: "2,000", "19", "0.5", "—" when unknown. */
export function formatRate(value) {
  const n = Number(value);
  if (value === null || value === undefined || !Number.isFinite(n)) return '—';
  return Math.abs(n) < 10 ? rateSmall.format(n) : rateWhole.format(n);
}

/** Milliseconds since the epoch of an ISO timestamp, NaN when unparseable. */
export function windowMillis(windowStart) {
  return typeof windowStart === 'string' ? Date.parse(windowStart) : Number.NaN;
}

/** Co-plays are idempotent on (windowStart, trackId): the key that dedupes a redelivery (the instant, however written). */
export function coPlayKey(item) {
  return `${windowMillis(item.windowStart)}\u0000${item.trackId}`;
}

/** True when the co-play passes the country filter (an ISO code; empty = every country). */
export function matchesCountry(item, country) {
  if (!country) return true;
  const c = country.toUpperCase();
  return upper(item?.a?.country) === c || upper(item?.b?.country) === c;
}

/** A CoPlayView is usable when both places have finite coordinates and it names a track. */
export function isValidCoPlay(item) {
  return (
    item !== null &&
    typeof item === 'object' &&
    typeof item.trackId === 'string' &&
    item.trackId.length > 0 &&
    Number.isFinite(windowMillis(item.windowStart)) &&
    validPlace(item.a) &&
    validPlace(item.b)
  );
}

function validPlace(p) {
  return (
    p !== null &&
    typeof p === 'object' &&
    Number.isFinite(p.lat) &&
    Number.isFinite(p.lon) &&
    Math.abs(p.lat) <= 90 &&
    Math.abs(p.lon) <= 180
  );
}

function upper(s) {
  return typeof s === 'string' ? s.toUpperCase() : null;
}

function nonEmpty(s) {
  return typeof s === 'string' && s.trim().length > 0 ? s : null;
}

/**
 * Colour class 0..3 of an arc: how many plays the track had in that second (2-4, 5-14, 15-49, 50 or more).
 * Distance would say little: viewers get the farthest co-plays of each second, nearly all 15,000 km or more.
 */
export function playsBucket(plays) {
  const n = Number(plays) || 0;
  if (n < 5) return 0;
  if (n < 15) return 1;
  if (n < 50) return 2;
  return 3;
}

/** Local time of day of a window start, "14:03:22". */
export function formatTime(windowStart) {
  const ms = windowMillis(windowStart);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
