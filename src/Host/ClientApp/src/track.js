// A track as a DOM node: a link to open.spotify.com for Spotify track URIs (a navigation the user chooses,
// never a request the page makes), plain text otherwise.

import { spotifyUrl, trackLabel } from './format.js';

export function trackElement(track) {
  const label = trackLabel(track);
  const url = spotifyUrl(track.trackId);
  if (url === null) {
    const span = document.createElement('span');
    span.className = 'track';
    span.textContent = label;
    return span;
  }
  const a = document.createElement('a');
  a.className = 'track';
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = label;
  const hint = document.createElement('span');
  hint.className = 'visually-hidden';
  hint.textContent = ' (opens Spotify in a new tab)';
  a.append(hint);
  return a;
}
