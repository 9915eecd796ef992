// Converts `lt simulate` JSONL into a Parquet play archive as DuckDB writes it: event_id, track_id, ip, played_at
// (TIMESTAMPTZ, microseconds), private_session, received_at; records without a valid playedAt are left out, as the
// archive leaves them out. Prints {"rows": N}.
// Usage: node bench/duckdb/jsonl-to-parquet.mjs IN.jsonl OUT.parquet
import { connect, rows, literal } from '../../tests/interop/duckdb.mjs';

const [input, output] = process.argv.slice(2);
const db = await connect();
await db.run(`SET memory_limit = '${process.env.DUCKDB_MEMORY_LIMIT ?? '4GB'}'`);
await db.run(`SET temp_directory = ${literal(process.env.DUCKDB_TEMP ?? 'artifacts/bench/duckdb-tmp')}`);
await db.run(`
  COPY (
    SELECT eventId AS event_id, trackId AS track_id, ip, t AS played_at, privateSession AS private_session, t AS received_at
    FROM (SELECT *, TRY_CAST(playedAt AS TIMESTAMPTZ) AS t
          FROM read_json(${literal(input)}, format = 'newline_delimited', ignore_errors = true,
                 columns = {eventId: 'VARCHAR', trackId: 'VARCHAR', ip: 'VARCHAR', playedAt: 'VARCHAR', privateSession: 'BOOLEAN'}))
    WHERE t IS NOT NULL)
  TO ${literal(output)} (FORMAT parquet)`);
const [count] = await rows(db, `SELECT count(*) AS n FROM read_parquet(${literal(output)})`);
console.log(JSON.stringify({ rows: Number(count.n) }));
