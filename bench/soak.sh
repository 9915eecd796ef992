#!/usr/bin/env bash
# Soak test: one `serve` for MINUTES with every sink on, at 20,000 plays/s from the built-in simulator (1% of them
# malformed, so dead letters are written too), with the archive (Archive:ParquetDir), both results sinks
# (Results:Jsonl, Results:ParquetDir), dead letters (DeadLetter:Path) and 200 viewers from the load tool
# (bench/LoadTool, raw WebSocket viewers reporting every 10 s).
# Every 10 s it samples the server into artifacts/soak/soak.csv: resident memory, in all and split into anonymous
# memory (the GC heap, native allocations, thread stacks) and file-backed pages (the loaded code, mapped files), threads
# and open file descriptors (/proc/PID), GC heap size after the last collection, the memory the GC had committed then
# (the heap plus free space it keeps for new allocations), gen-2 collections and the watermark delay (/metrics), the
# eligible plays per second, and the viewers' push -> receipt latency (p50, p99) and how many of them received
# anything in the interval (the load tool's lines). bench/soak-report.mjs then draws artifacts/soak/soak.html (one
# self-contained page, a small chart per series) and prints the last line:
#   soak: M min, rss slope X MB/10 min after warm-up (anon A, file F), heap slope Y, committed slope C, fds A->B, errors E
# Slopes (all in MB per 10 minutes) are least squares over the samples after the warm-up: 5 minutes, or the first
# third of runs shorter than 15 minutes. fds A->B: open file descriptors at the end of the warm-up and at the end.
# E: the server log's fail and crit lines, plus the viewers that stopped receiving (closed, or nothing for 20 s).
# The script stops the server with SIGTERM at the end; a stop that fails or takes over a minute counts as an error too.
# Usage: bench/soak.sh MINUTES [viewers] [plays-per-second]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ]; then
  echo "usage: bench/soak.sh MINUTES [viewers] [plays-per-second]" >&2
  exit 2
fi
minutes="$1"
viewers="${2:-200}"
rate="${3:-20000}"
interval=10
port=8091
out="artifacts/soak"

./scripts/setup.sh >/dev/null
dotnet build src/Host/Host.csproj -c Release --no-restore --verbosity quiet
dotnet build bench/LoadTool/ListeningTogether.LoadTool.csproj -c Release --no-restore --verbosity quiet

rm -rf "$out"
mkdir -p "$out"
dotnet src/Host/bin/Release/net10.0/lt.dll serve --Urls=http://127.0.0.1:$port \
  --Simulator:PlaysPerSecond="$rate" --Simulator:MalformedRate=0.01 \
  --Archive:ParquetDir="$out/archive" \
  --Results:Jsonl="$out/results/coplays.jsonl" --Results:ParquetDir="$out/results/parquet" \
  --DeadLetter:Path="$out/dead-letters.jsonl" \
  --Site:MaxConnectionsPerAddress=$((viewers + 10)) --Site:MaxConnectsPerMinutePerAddress=$((viewers + 10)) \
  >"$out/server.log" 2>&1 &
server=$!
tool=""
trap 'kill $server ${tool:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs http://127.0.0.1:$port/readyz >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs http://127.0.0.1:$port/readyz >/dev/null || { echo "the server did not get ready; see $out/server.log" >&2; exit 1; }

start=$(date +%s)
dotnet bench/LoadTool/bin/Release/net10.0/ListeningTogether.LoadTool.dll "http://127.0.0.1:$port" "$viewers" $((minutes * 60)) raw "$interval" \
  >"$out/viewers.log" 2>&1 &
tool=$!
echo "soaking for $minutes min: $rate plays/s, $viewers viewers; samples every $interval s in $out/soak.csv"

# The value of a Prometheus series (name and, optionally, a label it must carry), summed over its label sets.
metric() { awk -v name="$2" -v label="${3:-}" '$1 ~ "^" name "({|$)" && index($1, label) { sum += $2; found = 1 } END { print found ? sum : "" }' <<<"$1"; }
# A field of the load tool's latest interval line.
viewer_field() { grep '^interval ' "$out/viewers.log" | tail -n 1 | tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }

echo "t_s,rss_mb,rss_anon_mb,rss_file_mb,heap_mb,gc_committed_mb,gen2_collections,threads,fds,watermark_delay_s,plays_per_s,push_p50_ms,push_p99_ms,viewers_receiving" >"$out/soak.csv"
last_plays=""
last_t=""
end=$((start + minutes * 60))
next=$((start + interval))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep $((next - $(date +%s) > 0 ? next - $(date +%s) : 0))
  next=$((next + interval))
  kill -0 $server 2>/dev/null || { echo "the server exited during the soak; see $out/server.log" >&2; break; }
  t=$(($(date +%s) - start))
  rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
  anon_kb=$(awk '/^RssAnon:/ { print $2 }' "/proc/$server/status")
  file_kb=$(awk '/^RssFile:/ { print $2 }' "/proc/$server/status")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$server/status")
  fds=$(find "/proc/$server/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  scrape=$(curl -fs --max-time 5 http://127.0.0.1:$port/metrics || true)
  heap=$(metric "$scrape" dotnet_gc_last_collection_heap_size_bytes)
  committed=$(metric "$scrape" dotnet_gc_last_collection_memory_committed_size_bytes)
  gen2=$(metric "$scrape" dotnet_gc_collections_total 'gc_heap_generation="gen2"')
  delay=$(metric "$scrape" lt_watermark_delay_seconds)
  plays=$(metric "$scrape" lt_plays_total 'outcome="eligible"')
  rate_now=""
  if [ -n "$plays" ] && [ -n "$last_plays" ]; then rate_now=$(awk -v a="$last_plays" -v b="$plays" -v s=$((t - last_t)) 'BEGIN { printf "%.0f", (b - a) / s }'); fi
  last_plays="$plays"
  last_t="$t"
  awk -v t="$t" -v rss="$rss_kb" -v anon="$anon_kb" -v file="$file_kb" -v heap="${heap:-}" -v committed="${committed:-}" \
    -v gen2="${gen2:-}" -v threads="$threads" -v fds="$fds" -v delay="${delay:-}" -v rate="$rate_now" \
    -v p50="$(viewer_field push_p50_ms)" -v p99="$(viewer_field push_p99_ms)" -v receiving="$(viewer_field receiving)" \
    'function mb(bytes) { return bytes == "" ? "" : sprintf("%.1f", bytes / 1048576) }
    BEGIN { printf "%d,%.1f,%.1f,%.1f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", t, rss / 1024, anon / 1024, file / 1024, mb(heap), mb(committed),
      gen2, threads, fds, delay, rate, p50, p99, receiving }' >>"$out/soak.csv"
done

wait "$tool" || true
tool=""
stopped_viewers=$(awk -F'stopped: ' '/^viewers still receiving at the end/ { sub(/\)/, "", $2); print $2 }' "$out/viewers.log")
stopped_viewers="${stopped_viewers:-$viewers}"
# SIGTERM, as a service manager stops it (a background job of a script ignores SIGINT); it gets a minute.
stop_errors=0
kill -TERM $server 2>/dev/null || true
for _ in $(seq 1 60); do kill -0 $server 2>/dev/null || break; sleep 1; done
if kill -0 $server 2>/dev/null; then
  echo "the server did not stop within 60 s of SIGTERM; killed" >&2
  kill -KILL $server 2>/dev/null || true
  stop_errors=1
fi
status=0
wait $server || status=$?
if [ "$status" -ne 0 ] && [ "$stop_errors" -eq 0 ]; then
  echo "the server exited with code $status when stopped" >&2
  stop_errors=1
fi
trap - EXIT
log_errors=$(grep -cE '^[0-9:]+ (fail|crit): ' "$out/server.log" || true)
echo "server log: $log_errors fail/crit lines; viewers: $(tail -n 1 "$out/viewers.log")"
errors=$((log_errors + stopped_viewers + stop_errors))
node bench/soak-report.mjs "$out/soak.csv" "$out/soak.html" "$minutes" "$errors"
[ "$errors" -eq 0 ]
