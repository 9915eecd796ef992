// What DuckDB reads in a coplays.parquet file: each column's DuckDB type and Parquet logical type, and the rows
// in the JSONL co-play form (windowStart as epoch milliseconds). Prints one JSON object.
// Usage: node describe-coplays.mjs COPLAYS.parquet
import { connect, rows, literal } from './duckdb.mjs';

const [file] = process.argv.slice(2);
const db = await connect();
const columns = await rows(db, `DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
const schema = await rows(db, `SELECT name, type, logical_type FROM parquet_schema(${literal(file)}) WHERE type IS NOT NULL`);
const coPlays = await rows(db, `
  SELECT epoch_ms(window_start) AS windowStartMs, track_id AS trackId, plays, locations,
         {geonameId: a_geoname_id, city: a_city, country: a_country, lat: a_lat, lon: a_lon} AS a,
         {geonameId: b_geoname_id, city: b_city, country: b_country, lat: b_lat, lon: b_lon} AS b,
         distance_km AS distanceKm
  FROM read_parquet(${literal(file)})`);
console.log(JSON.stringify({
  columns: columns.map(c => ({ name: c.column_name, type: c.column_type })),
  schema,
  coPlays,
}));
