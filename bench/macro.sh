#!/usr/bin/env bash
# Macro benchmark: the in-process core (plays/s on every core) and replay of a 10,000,000-play JSONL file
# (wall time, plays/s, peak memory), both on the real GeoLite2 City database with simulated realistic addresses.
# Usage: bench/macro.sh [plays]   (default 10000000; the generated file is kept in artifacts/bench/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
plays="${1:-10000000}"

./scripts/setup.sh >/dev/null
dotnet build src/Host/Host.csproj -c Release --no-restore --verbosity quiet
dotnet build bench/Benchmarks/ListeningTogether.Bench.csproj -c Release --no-restore --verbosity quiet
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
lt="dotnet src/Host/bin/Release/net10.0/lt.dll"
work="artifacts/bench"
mkdir -p "$work"

echo "== in-process core (decode, filter, geolocate, windows, co-plays)"
dotnet bench/Benchmarks/bin/Release/net10.0/ListeningTogether.Bench.dll core 4000000 | tail -n 3

input="$work/plays-$plays.jsonl"
if [ ! -s "$input" ]; then
  echo "== generating $plays plays"
  $lt simulate --plays "$plays" --seed 3 --start 2026-11-26T09:00:00Z --minutes 60 --output "$input" >/dev/null
fi

echo "== replay of $(du -h "$input" | cut -f1) JSONL, $plays plays"
rm -rf "$work/replay-out"
/usr/bin/time -f "%e %M" -o "$work/time.txt" $lt replay --input "$input" --output "$work/replay-out" 2>/dev/null >/dev/null
read -r seconds peak_kb < "$work/time.txt"
awk -v s="$seconds" -v kb="$peak_kb" -v n="$plays" 'BEGIN {
  printf "replay: %d plays in %.2f s = %.0f plays/s, peak memory %.0f MB\n", n, s, n / s, kb / 1024 }'
