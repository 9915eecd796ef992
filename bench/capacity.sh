#!/usr/bin/env bash
# Capacity model of the split deployment (DESIGN.md "Scale-out"), measured on the Pub/Sub emulator with the real
# stages: `lt run --stage ingest` (archiving, as in the cluster), `lt run --stage match` (ShardIndex per replica),
# `lt serve --stage site` (a results subscription per replica) with viewers from bench/LoadTool, plays from
# `lt simulate --publish --rate R`. CPU time comes from /proc/PID/stat over a steady interval, after an idle one.
#   1. co-plays a second at 100,000 plays/s: one simulated minute at that rate, replayed (exact, no emulator)
#   2. model: 1 ingest, 1 match, 2 site replicas (one without viewers, one with VIEWERS) at RATE plays/s:
#      cores per 1,000 plays/s of ingest and match, per 1,000 co-plays/s read and per 1,000 viewers of site
#   3. ceiling: 1 ingest reading its subscription through ONE StreamingPull stream at CEILING-RATE plays/s:
#      what the emulator serves a stream (a rate it cannot carry shows as backlog: received < published)
#   4. check: 2 ingest, 3 match (3 shards), 2 site replicas (VIEWERS/2 each) at CHECK-RATE plays/s, measured
#      beside what the model of step 2 predicts for them
# Then the replicas for 100,000 plays/s and 100,000 viewers, extrapolated from step 2 (deploy/README.md "Sizing").
# Usage: bench/capacity.sh [SECONDS] [RATE] [VIEWERS] [CHECK-RATE] [CEILING-RATE]
#        (defaults 60, 2000, 1000, 3000, 4000; SECONDS is the steady interval of each step)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${1:-60}"
rate="${2:-2000}"
viewers="${3:-1000}"
check_rate="${4:-3000}"
ceiling_rate="${5:-4000}"
idle=10
warmup=25
ticks="$(getconf CLK_TCK)"

./scripts/setup.sh >/dev/null
dotnet build src/Host/Host.csproj -c Release --verbosity quiet -nologo >/dev/null
dotnet build bench/LoadTool/ListeningTogether.LoadTool.csproj -c Release --verbosity quiet -nologo >/dev/null
lt="$root/src/Host/bin/Release/net10.0/lt"
loadtool="$root/bench/LoadTool/bin/Release/net10.0/ListeningTogether.LoadTool"
work="$root/artifacts/bench/capacity"
mkdir -p "$work"
pids="$work/pids"; ports="$work/ports"; : > "$pids"; : > "$ports"
emulator_state=""

# shellcheck source=bench/capacity/stages.sh
source bench/capacity/stages.sh
# shellcheck source=bench/capacity/phase.sh
source bench/capacity/phase.sh
cleanup() {
  stop_all
  if [ -n "$emulator_state" ]; then scripts/pubsub-emulator.sh stop "$emulator_state"; fi
}
trap cleanup EXIT

echo "capacity model: steady intervals of $seconds s; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== 1. co-plays a second at 100,000 plays/s (one simulated minute, replayed)"
target_coplays_file="$work/coplays-at-100k.txt"
if [ ! -s "$target_coplays_file" ]; then
  rm -rf "$work/minute"; mkdir -p "$work/minute"
  "$lt" simulate --plays 6000000 --seed 7 --start 2026-11-26T12:00:00Z --minutes 1 --output "$work/minute/plays.jsonl" >/dev/null 2>&1
  "$lt" replay --input "$work/minute/plays.jsonl" --output "$work/minute/out" --Geo:CityDb="$root/data/GeoLite2-City.mmdb" >/dev/null 2>&1
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["coPlays"], s["eligiblePlays"], s["windows"])' \
    "$work/minute/out/summary.json" > "$target_coplays_file"
  rm -rf "$work/minute"
fi
read -r target_coplays target_eligible target_windows < "$target_coplays_file"
target_coplays_per_s=$((target_coplays / target_windows))
echo "6,000,000 plays in $target_windows windows: $target_eligible eligible, $target_coplays co-plays = $target_coplays_per_s co-plays/s on the results topic"

show() { # NAME: the step's per-process figures
  awk 'BEGIN { printf "%-12s %10s %10s %10s %10s %8s\n", "process", "idle cores", "busy cores", "work/s", "co-plays/s", "peak MB" }
    { printf "%-12s %10.3f %10.3f %10.1f %10.1f %8d\n", $1, $2, $3, $4, $5, $6 }' "$work/$1/result"
  if [ -s "$work/$1/report" ]; then cat "$work/$1/report"; fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "== 2. model: 1 ingest, 1 match, site-0 without viewers, site-1 with $viewers viewers, $rate plays/s"
phase model "$rate" 1 1 "0 $viewers"
show model

echo "== 3. ceiling: 1 ingest with 1 StreamingPull stream, 1 match, 1 site, $ceiling_rate plays/s"
phase ceiling "$ceiling_rate" 1 1 "0" "--Transport:PubSub:Streams=1"
show ceiling

echo "== 4. check: 2 ingest, 3 match, 2 site with $((viewers / 2)) viewers each, $check_rate plays/s"
phase check "$check_rate" 2 3 "$((viewers / 2)) $((viewers / 2))"
show check

awk -f bench/capacity/model.awk -v rate="$rate" -v viewers="$viewers" -v ceiling_rate="$ceiling_rate" -v check_rate="$check_rate" \
  -v target_coplays="$target_coplays_per_s" "$work/model/result" "$work/ceiling/result" "$work/check/result" | tee "$work/model.txt"
