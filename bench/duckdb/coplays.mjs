// DuckDB computing DESIGN.md's co-play rule in SQL over a Parquet play file, timed; the IP -> location table
// (from `ListeningTogether.Bench geolocate`) is loaded beforehand and not timed. Then, untimed, compares its
// co-plays with replay's coplays.parquet. Prints {"seconds", "cpuSeconds", "coPlays", "onlyDuckDb", "onlyReplay"}.
// Usage: node bench/duckdb/coplays.mjs PLAYS.parquet LOCATIONS.jsonl REPLAY_COPLAYS.parquet [WINDOW_MS] [MIN_DISTANCE_KM] [MAX_LOCATIONS]
import { connect, rows, literal } from '../../tests/interop/duckdb.mjs';

const [plays, locations, replayed, windowMs = '1000', minDistanceKm = '100', maxLocations = '256'] = process.argv.slice(2);
const db = await connect();
// Bounded like replay (which stays under 1 GB here): DuckDB spills to disk beyond the limit instead of taking the
// machine's memory; insertion order is not needed.
await db.run(`SET memory_limit = '${process.env.DUCKDB_MEMORY_LIMIT ?? '6GB'}'`);
await db.run(`SET temp_directory = ${literal(process.env.DUCKDB_TEMP ?? 'artifacts/bench/duckdb-tmp')}`);
await db.run('SET preserve_insertion_order = false');
await db.run(`
  CREATE TABLE ip_locations AS
  SELECT * FROM read_json(${literal(locations)}, format = 'newline_delimited',
    columns = {ip: 'VARCHAR', geoname_id: 'BIGINT', city: 'VARCHAR', country: 'VARCHAR', lat: 'DOUBLE', lon: 'DOUBLE'})`);

// The rule, step by step as DESIGN.md states it.
const rule = `
  WITH eligible AS (           -- eligibility: ids of 1..128 code points, playedAt in range, not private, a located ip
    SELECT p.event_id, p.track_id, epoch_ms(p.played_at) AS ms, l.geoname_id, l.city, l.country, l.lat, l.lon
    FROM read_parquet(${literal(plays)}) p JOIN ip_locations l ON l.ip = p.ip
    WHERE length(p.event_id) BETWEEN 1 AND 128 AND length(p.track_id) BETWEEN 1 AND 128
      AND p.played_at >= TIMESTAMPTZ '2000-01-01 00:00:00+00' AND p.played_at < TIMESTAMPTZ '2100-01-01 00:00:00+00'
      AND p.private_session IS NOT TRUE
  ),
  distinct_plays AS (         -- one play per (window, track, eventId): the copy with the smallest (geonameId, playedAt, lat, lon)
    SELECT (ms // ${windowMs}) * ${windowMs} AS window_start, track_id, event_id,
           min({g: geoname_id, t: ms, lat: lat, lon: lon, city: city, country: country}) AS c
    FROM eligible GROUP BY ALL
  ),
  places AS (                 -- a location per city id, its plays, and the coordinates of its earliest play (then smaller eventId)
    SELECT window_start, track_id, c.g AS geoname_id, count(*) AS plays,
           arg_min({lat: c.lat, lon: c.lon, city: c.city, country: c.country}, {t: c.t, e: event_id}) AS place
    FROM distinct_plays GROUP BY ALL
  ),
  groups AS (                 -- (window, track) groups with two locations or more: plays and locations before the cap
    SELECT window_start, track_id, sum(plays) AS plays, count(*) AS locations
    FROM places GROUP BY ALL HAVING count(*) >= 2
  ),
  candidates AS (
    SELECT p.*, g.locations AS group_locations
    FROM places p JOIN groups g ON g.window_start = p.window_start AND g.track_id = p.track_id
  ),
  kept AS (                   -- at most ${maxLocations} locations: most plays first, then smaller geonameId
    SELECT * FROM candidates WHERE group_locations <= ${maxLocations}
    UNION ALL
    SELECT * FROM candidates WHERE group_locations > ${maxLocations}
    QUALIFY row_number() OVER (PARTITION BY window_start, track_id ORDER BY plays DESC, geoname_id) <= ${maxLocations}
  ),
  points AS (                 -- radians as (degrees * pi) / 180, as the C# code does (radians() can differ in the last bit)
    SELECT window_start, track_id, geoname_id, place, place.lat * pi() / 180 AS phi, place.lon * pi() / 180 AS lambda FROM kept
  ),
  pairs AS (                  -- haversine, R = 6371.0088 km, a.geonameId < b.geonameId
    SELECT a.window_start, a.track_id, a.geoname_id AS a_id, a.place AS a_at, b.geoname_id AS b_id, b.place AS b_at,
           2 * 6371.0088::DOUBLE * asin(least(1.0, sqrt(
             sin((b.phi - a.phi) / 2) * sin((b.phi - a.phi) / 2)
             + cos(a.phi) * cos(b.phi) * (sin((b.lambda - a.lambda) / 2) * sin((b.lambda - a.lambda) / 2))))) AS d
    FROM points a JOIN points b ON a.window_start = b.window_start AND a.track_id = b.track_id AND a.geoname_id < b.geoname_id
  ),
  farthest AS (               -- the farthest pair, ties by smallest (a, b), if at least ${minDistanceKm} km apart
    SELECT window_start, track_id, arg_max({a_id: a_id, a_at: a_at, b_id: b_id, b_at: b_at, d: d}, {d: d, a: -a_id, b: -b_id}) AS f
    FROM pairs GROUP BY ALL HAVING max(d) >= ${minDistanceKm}
  )
  SELECT make_timestamptz(x.window_start * 1000) AS window_start, x.track_id, g.plays, g.locations,
         x.f.a_id AS a_geoname_id, x.f.a_at.city AS a_city, x.f.a_at.country AS a_country, x.f.a_at.lat AS a_lat, x.f.a_at.lon AS a_lon,
         x.f.b_id AS b_geoname_id, x.f.b_at.city AS b_city, x.f.b_at.country AS b_country, x.f.b_at.lat AS b_lat, x.f.b_at.lon AS b_lon,
         x.f.d AS distance_km
  FROM farthest x JOIN groups g ON g.window_start = x.window_start AND g.track_id = x.track_id`;

const started = performance.now();
const cpuBefore = process.cpuUsage();
await db.run(`CREATE TABLE duckdb_coplays AS ${rule}`);
const cpu = process.cpuUsage(cpuBefore);
const seconds = (performance.now() - started) / 1000;
// CPU seconds (user + system) of the rule on every DuckDB thread: a second measure that a busy machine skews less.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

const [{ n }] = await rows(db, 'SELECT count(*) AS n FROM duckdb_coplays');
const key = 'window_start, track_id, plays, locations, a_geoname_id, a_lat, a_lon, b_geoname_id, b_lat, b_lon, distance_km';
const [{ only_duckdb }] = await rows(db, `SELECT count(*) AS only_duckdb FROM (SELECT ${key} FROM duckdb_coplays EXCEPT ALL SELECT ${key} FROM read_parquet(${literal(replayed)}))`);
const [{ only_replay }] = await rows(db, `SELECT count(*) AS only_replay FROM (SELECT ${key} FROM read_parquet(${literal(replayed)}) EXCEPT ALL SELECT ${key} FROM duckdb_coplays)`);
console.log(JSON.stringify({ seconds, cpuSeconds, coPlays: Number(n), onlyDuckDb: Number(only_duckdb), onlyReplay: Number(only_replay) }));
