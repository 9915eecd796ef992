// Writes play records as DuckDB writes them: a Parquet play file (played_at a TIMESTAMP or TIMESTAMPTZ in
// microseconds, a user_id column, rows shuffled, every record COPIES times so there are several row groups) and
// the equivalent JSONL file from the same rows. Prints the Parquet file's row groups and played_at type as JSON.
// Usage: node write-example-plays.mjs PLAYS.jsonl OUT.parquet OUT.jsonl TIMESTAMP|TIMESTAMPTZ COPIES
import { connect, rows, literal } from './duckdb.mjs';

const [input, parquet, jsonl, timestampType, copiesText] = process.argv.slice(2);
if (!['TIMESTAMP', 'TIMESTAMPTZ'].includes(timestampType) || !(Number(copiesText) >= 1)) {
  console.error('usage: node write-example-plays.mjs PLAYS.jsonl OUT.parquet OUT.jsonl TIMESTAMP|TIMESTAMPTZ COPIES');
  process.exit(2);
}

const db = await connect();
await db.run(`
  CREATE TABLE plays AS
  SELECT p.*, c.copy
  FROM read_json(${literal(input)}, format = 'newline_delimited',
         columns = {eventId: 'VARCHAR', trackId: 'VARCHAR', userId: 'VARCHAR', ip: 'VARCHAR', playedAt: 'TIMESTAMPTZ', privateSession: 'BOOLEAN'}) p,
       range(${Number(copiesText)}) c(copy)
  ORDER BY hash(p.eventId, p.trackId, p.playedAt, c.copy)`);
await db.run(`
  COPY (SELECT eventId AS event_id, trackId AS track_id, userId AS user_id, ip,
               playedAt::${timestampType} AS played_at, privateSession AS private_session
        FROM plays ORDER BY hash(eventId, trackId, playedAt, copy))
  TO ${literal(parquet)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
await db.run(`
  COPY (SELECT eventId, trackId, userId, ip, strftime(playedAt, '%Y-%m-%dT%H:%M:%S.%fZ') AS playedAt, privateSession
        FROM plays ORDER BY hash(eventId, trackId, playedAt, copy))
  TO ${literal(jsonl)} (FORMAT json)`);
const groups = await rows(db, `SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata(${literal(parquet)})`);
const playedAt = await rows(db, `SELECT type, logical_type FROM parquet_schema(${literal(parquet)}) WHERE name = 'played_at'`);
console.log(JSON.stringify({ rowGroups: Number(groups[0].n), playedAt: playedAt[0] }));
