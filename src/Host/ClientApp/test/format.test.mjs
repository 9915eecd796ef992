import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  coPlayKey,
  countryName,
  formatDistance,
  formatRate,
  isValidCoPlay,
  matchesCountry,
  placeLabel,
  playsBucket,
  spotifyUrl,
  trackLabel,
} from '../src/format.js';

test('track label: "title — artist", title alone, else the track id', () => {
  assert.equal(trackLabel({ trackId: 't', title: 'Song', artist: 'Band' }), 'Song — Band');
  assert.equal(trackLabel({ trackId: 't', title: 'Song', artist: null }), 'Song');
  assert.equal(trackLabel({ trackId: 'spotify:track:x', title: null, artist: 'Band' }), 'spotify:track:x');
  assert.equal(trackLabel({ trackId: 'isrc:1', title: '  ', artist: 'Band' }), 'isrc:1');
});

test('Spotify links only for spotify:track: URIs with a 22-character base62 id', () => {
  assert.equal(spotifyUrl('spotify:track:4uLU6hMCjMI75M1A2tKUQC'), 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC');
  assert.equal(spotifyUrl('spotify:track:4uLU6hMCjMI75M1A2tKUQ'), null); // 21 characters
  assert.equal(spotifyUrl('spotify:track:4uLU6hMCjMI75M1A2tKUQC1'), null); // 23 characters
  assert.equal(spotifyUrl('spotify:album:4uLU6hMCjMI75M1A2tKUQC'), null);
  assert.equal(spotifyUrl('spotify:track:4uLU6hMCjMI75M1A2tKUQ-'), null);
  assert.equal(spotifyUrl(' spotify:track:4uLU6hMCjMI75M1A2tKUQC'), null);
  assert.equal(spotifyUrl('spotify:track:4uLU6hMCjMI75M1A2tKUQC\n'), null);
  assert.equal(spotifyUrl(null), null);
});

test('places: city and country name, country alone, coordinates as a last resort', () => {
  assert.equal(placeLabel({ city: 'Osaka', country: 'JP', lat: 34.7, lon: 135.5 }), 'Osaka, Japan');
  assert.equal(placeLabel({ city: null, country: 'PE', lat: -12, lon: -77 }), 'Peru');
  assert.equal(placeLabel({ city: 'Somewhere', country: null, lat: 1, lon: 2 }), 'Somewhere');
  assert.equal(placeLabel({ city: null, country: null, lat: -12.04, lon: -77.0 }), '12.0°S 77.0°W');
  assert.equal(countryName('xk'), 'Kosovo');
  assert.equal(countryName('QQ'), 'QQ');
});

test('numbers', () => {
  assert.equal(formatDistance(15000.3), '15,000 km');
  assert.equal(formatDistance(99.5), '100 km');
  assert.equal(formatRate(2000), '2,000');
  assert.equal(formatRate(19.4), '19');
  assert.equal(formatRate(0.46), '0.5');
  assert.equal(formatRate(3), '3');
  assert.equal(formatRate(undefined), '—');
  assert.equal(formatRate(Number.NaN), '—');
  assert.deepEqual([2, 4, 5, 14, 15, 49, 50, 251].map(playsBucket), [0, 0, 1, 1, 2, 2, 3, 3]);
});

const item = (over = {}) => ({
  windowStart: '2026-11-26T14:03:22.000Z',
  trackId: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
  title: null,
  artist: null,
  plays: 7,
  locations: 5,
  a: { city: 'Osaka', country: 'JP', lat: 34.7, lon: 135.5 },
  b: { city: 'Lima', country: 'PE', lat: -12.0, lon: -77.0 },
  distanceKm: 15000.3,
  ...over,
});

test('country filter: either end, case-insensitive, empty = all', () => {
  assert.equal(matchesCountry(item(), ''), true);
  assert.equal(matchesCountry(item(), 'JP'), true);
  assert.equal(matchesCountry(item(), 'pe'), true);
  assert.equal(matchesCountry(item(), 'FR'), false);
  assert.equal(matchesCountry(item({ a: { city: null, country: null, lat: 0, lon: 0 } }), 'JP'), false);
});

test('validation and the idempotency key', () => {
  assert.equal(isValidCoPlay(item()), true);
  assert.equal(isValidCoPlay(item({ a: { lat: 'x', lon: 1 } })), false);
  assert.equal(isValidCoPlay(item({ b: null })), false);
  assert.equal(isValidCoPlay(item({ windowStart: 'yesterday' })), false);
  assert.equal(isValidCoPlay(item({ trackId: '' })), false);
  assert.equal(isValidCoPlay(null), false);
  assert.equal(coPlayKey(item()), coPlayKey(item({ plays: 9 })));
  assert.notEqual(coPlayKey(item()), coPlayKey(item({ windowStart: '2026-11-26T14:03:23.000Z' })));
});
