// The read API of playback (same origin): GET /api/coplays/range and GET /api/coplays?from&to. Errors are RFC 7807
// problem details; a 429 says when to ask again (Retry-After, in seconds).

import { isoSecond } from './hash.js';

export class ApiError extends Error {
  constructor(status, detail, retryAfterMs) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

async function getJson(url, signal) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  if (response.ok) return response.json();
  let detail = '';
  try {
    const problem = await response.json();
    detail = problem?.detail ?? problem?.title ?? '';
  } catch {
    // not JSON: the status says enough
  }
  const retryAfter = Number(response.headers.get('Retry-After'));
  throw new ApiError(response.status, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0);
}

/** The kept range {fromMs, toMs}, or null when nothing is kept (404). */
export async function fetchRange(signal) {
  try {
    const body = await getJson('/api/coplays/range', signal);
    const fromMs = Date.parse(body?.from);
    const toMs = Date.parse(body?.to);
    return Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs > fromMs ? { fromMs, toMs } : null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The co-plays of [fromMs, toMs) (whole seconds, at most an hour), as the server sends them. */
export function fetchCoPlays(fromMs, toMs, signal) {
  const query = `from=${encodeURIComponent(isoSecond(fromMs))}&to=${encodeURIComponent(isoSecond(toMs))}`;
  return getJson(`/api/coplays?${query}`, signal);
}
