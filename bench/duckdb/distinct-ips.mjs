// The distinct non-empty ip values of a Parquet play file as JSON lines {"ip": "..."}.
// Usage: node bench/duckdb/distinct-ips.mjs PLAYS.parquet OUT.jsonl
import { connect, literal } from '../../tests/interop/duckdb.mjs';

const [input, output] = process.argv.slice(2);
const db = await connect();
await db.run(`COPY (SELECT DISTINCT ip FROM read_parquet(${literal(input)}) WHERE ip <> '') TO ${literal(output)} (FORMAT json)`);
