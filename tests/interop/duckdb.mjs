// DuckDB for the interop tests and the replay benchmark: one in-memory database with UTC as its time zone, so
// TIMESTAMPTZ values and casts never depend on the machine's zone.
import { DuckDBInstance } from '@duckdb/node-api';

export async function connect() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}

/** The rows of a query as plain JSON objects (big integers as strings, timestamps as ISO-like text). */
export async function rows(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

/** A string as an SQL literal. */
export function literal(text) {
  return `'${String(text).replaceAll("'", "''")}'`;
}
