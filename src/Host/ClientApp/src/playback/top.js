// The "right now" panel during playback: the most co-played tracks among the co-plays shown (the minute before the
// played-back second), as the live stats carry them. Pure, tested under node.

/** @param {{item: object}[]} entries  @returns {{trackId: string, title?: string, artist?: string, coPlays: number}[]} */
export function topTracksOf(entries, max = 10) {
  const byTrack = new Map();
  for (const { item } of entries) {
    const t = byTrack.get(item.trackId);
    if (t) t.coPlays++;
    else byTrack.set(item.trackId, { trackId: item.trackId, title: item.title, artist: item.artist, coPlays: 1 });
  }
  return [...byTrack.values()]
    .sort((x, y) => y.coPlays - x.coPlays || (x.trackId < y.trackId ? -1 : x.trackId > y.trackId ? 1 : 0))
    .slice(0, max);
}
