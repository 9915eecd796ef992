#!/usr/bin/env bash
# Replay of a Parquet play hour against DuckDB computing the same co-play rule in SQL over the same file.
# Generates `lt simulate` plays for one hour (cached in artifacts/bench/), converts them to Parquet with DuckDB,
# then in one run times:
#   - lt replay of the Parquet file: everything counted (start-up, reading, geo lookups, matching, both outputs),
#     with its peak memory (/usr/bin/time -v);
#   - DuckDB running the rule's SQL over the file (its IP -> location table is prepared beforehand by
#     `ListeningTogether.Bench geolocate` and not timed),
# prints both rates (Parquet rows a second) and their ratio, and fails unless both give the same co-plays.
# Usage: bench/replay-vs-duckdb.sh [plays] [--replay-only]    (default 10000000; --replay-only skips DuckDB,
#        e.g. `bench/replay-vs-duckdb.sh 100000000 --replay-only` for the peak-memory goal)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
plays="${1:-10000000}"
duckdb=yes
[ "${2:-}" = "--replay-only" ] && duckdb=no

./scripts/setup.sh >/dev/null
dotnet build src/Host/Host.csproj -c Release --no-restore --verbosity quiet >/dev/null
dotnet build bench/Benchmarks/ListeningTogether.Bench.csproj -c Release --no-restore --verbosity quiet >/dev/null
lt="dotnet src/Host/bin/Release/net10.0/lt.dll"
bench="dotnet bench/Benchmarks/bin/Release/net10.0/ListeningTogether.Bench.dll"
work="artifacts/bench"
mkdir -p "$work"

input="$work/plays-$plays.parquet"
if [ ! -s "$input" ]; then
  jsonl="$work/plays-$plays.jsonl"
  if [ ! -s "$jsonl" ]; then
    echo "== generating $plays plays (one hour)"
    $lt simulate --plays "$plays" --seed 3 --start 2026-11-26T09:00:00Z --minutes 60 --output "$jsonl" >/dev/null 2>&1
  fi
  echo "== converting to Parquet with DuckDB"
  node bench/duckdb/jsonl-to-parquet.mjs "$jsonl" "$input.tmp" >/dev/null
  mv "$input.tmp" "$input"
  # A large JSONL file is not needed again; the Parquet file is kept for the next run.
  [ "$plays" -le 20000000 ] || rm -f "$jsonl"
fi
rows=$(node -e "import('./tests/interop/duckdb.mjs').then(async d => { const c = await d.connect(); const [r] = await d.rows(c, \"SELECT count(*) AS n FROM read_parquet('$input')\"); console.log(r.n); })")
echo "== input: $input, $rows rows, $(du -h "$input" | cut -f1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

out="$work/replay-out-$plays"
rm -rf "$out"
if ! /usr/bin/time -v -o "$work/replay-time.txt" $lt replay --input "$input" --output "$out" >"$work/replay-stdout.txt" 2>"$work/replay-stderr.txt"; then
  echo "replay failed:" >&2
  tr '\r' '\n' < "$work/replay-stderr.txt" | tail -n 5 >&2
  exit 1
fi
replay_s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/replay-time.txt")
peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/replay-time.txt")
replay_cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/replay-time.txt")
replay_coplays=$(grep -c '' "$out/coplays.jsonl" || true)
awk -v s="$replay_s" -v cpu="$replay_cpu" -v kb="$peak_kb" -v n="$rows" -v c="$replay_coplays" 'BEGIN {
  printf "replay: %.2f s = %.0f plays/s (%.1f CPU s = %.0f plays per CPU second), peak memory %.0f MB, %d co-plays\n", s, n / s, cpu, n / cpu, kb / 1024, c }'
[ "$duckdb" = yes ] || exit 0

locations="$work/ip-locations-$plays.jsonl"
if [ ! -s "$locations" ] || [ "$locations" -ot "$input" ]; then
  echo "== DuckDB: preparing the IP -> location table (not timed)"
  node bench/duckdb/distinct-ips.mjs "$input" "$work/ips-$plays.jsonl"
  $bench geolocate "$work/ips-$plays.jsonl" "$locations.tmp" >/dev/null
  mv "$locations.tmp" "$locations"
  rm -f "$work/ips-$plays.jsonl"
fi
result=$(node bench/duckdb/coplays.mjs "$input" "$locations" "$out/coplays.parquet")
read -r duck_s duck_cpu duck_coplays only_duckdb only_replay < <(node -e "const r = JSON.parse(process.argv[1]); console.log(r.seconds, r.cpuSeconds, r.coPlays, r.onlyDuckDb, r.onlyReplay)" "$result")
awk -v s="$duck_s" -v cpu="$duck_cpu" -v n="$rows" -v c="$duck_coplays" -v r="$replay_s" -v rcpu="$replay_cpu" 'BEGIN {
  printf "duckdb: %.2f s = %.0f plays/s (%.1f CPU s = %.0f plays per CPU second), %d co-plays\n", s, n / s, cpu, n / cpu, c
  printf "replay is %.2fx DuckDB by wall time, %.2fx by CPU time\n", s / r, cpu / rcpu }'
if [ "$duck_coplays" != "$replay_coplays" ] || [ "$only_duckdb" != 0 ] || [ "$only_replay" != 0 ]; then
  echo "MISMATCH: replay $replay_coplays co-plays, DuckDB $duck_coplays; rows only in DuckDB's $only_duckdb, only in replay's $only_replay" >&2
  exit 1
fi
echo "same co-plays: $replay_coplays (every row equal)"
