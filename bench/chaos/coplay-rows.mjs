// Result Parquet as an analyst reads it with DuckDB: every *.parquet file under the given paths (names starting
// with '_' or '.' are skipped, as replay skips them), read together as one table. Writes its rows to OUT, one JSON
// object a line in (window_start, track_id) order, and prints {"files", "rows", "keys"} (keys: distinct
// (window_start, track_id)), so a duplicated row shows as rows > keys.
// Usage: node bench/chaos/coplay-rows.mjs OUT PATH...
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, rows, literal } from '../../tests/interop/duckdb.mjs';

const [out, ...paths] = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: node bench/chaos/coplay-rows.mjs OUT PATH...');
  process.exit(64);
}

const files = paths.flatMap(parquetFiles).sort();
const db = await connect();
let table = [];
let keys = 0;
if (files.length > 0) {
  const source = `read_parquet([${files.map(literal).join(', ')}])`;
  table = await rows(db, `
    SELECT epoch_ms(window_start) AS windowStartMs, track_id AS trackId, plays, locations,
           a_geoname_id, a_city, a_country, a_lat, a_lon, b_geoname_id, b_city, b_country, b_lat, b_lon, distance_km
    FROM ${source}
    ORDER BY window_start, track_id, plays, distance_km`);
  [{ keys }] = await rows(db, `SELECT count(*) AS keys FROM (SELECT DISTINCT window_start, track_id FROM ${source})`);
}

writeFileSync(out, table.map(row => JSON.stringify(row) + '\n').join(''));
console.log(JSON.stringify({ files: files.length, rows: table.length, keys: Number(keys) }));

function parquetFiles(path) {
  if (!statSync(path).isDirectory()) {
    return [path];
  }

  return readdirSync(path, { withFileTypes: true })
    .filter(entry => !entry.name.startsWith('_') && !entry.name.startsWith('.'))
    .flatMap(entry => entry.isDirectory()
      ? parquetFiles(join(path, entry.name))
      : entry.name.endsWith('.parquet') ? [join(path, entry.name)] : []);
}
