#!/usr/bin/env bash
# Site load test: one `serve` with the simulator at 50,000 plays/s, 1,000 concurrent SignalR viewers from the
# load tool (bench/LoadTool). Prints delivery, push->receipt and event->receipt latency, and the CPU and memory
# of the server and of the load tool separately.
# The server first runs for a warm-up (default 30 s) so the figures are the live site's steady state, not its
# start-up, while the geolocation caches fill.
# Viewers read pushes off a bare WebSocket by default; pass signalr-client to use the official .NET client.
# Usage: bench/site-load.sh [viewers] [seconds] [plays-per-second] [warm-up-seconds] [raw|signalr-client]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
viewers="${1:-1000}"
seconds="${2:-30}"
rate="${3:-50000}"
warmup="${4:-30}"
client="${5:-raw}"
port=8090

./scripts/setup.sh >/dev/null
dotnet build src/Host/Host.csproj -c Release --no-restore --verbosity quiet
dotnet build bench/LoadTool/ListeningTogether.LoadTool.csproj -c Release --no-restore --verbosity quiet

dotnet src/Host/bin/Release/net10.0/lt.dll serve --Urls=http://127.0.0.1:$port \
  --Simulator:PlaysPerSecond="$rate" --Site:MaxConnectionsPerAddress=$((viewers + 100)) >artifacts/site-load-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs http://127.0.0.1:$port/readyz >/dev/null 2>&1 && break; sleep 0.5; done
echo "warming up for $warmup s"
sleep "$warmup"

ticks=$(getconf CLK_TCK)
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
gc_pause_of() { curl -fs http://127.0.0.1:$port/metrics | awk '/^dotnet_gc_pause_time_seconds_total/ { print $2 }'; }
dotnet bench/LoadTool/bin/Release/net10.0/ListeningTogether.LoadTool.dll "http://127.0.0.1:$port" "$viewers" "$seconds" "$client" &
tool=$!
sleep 5 # connecting
before=$(cpu_of $server)
pause_before=$(gc_pause_of)
sleep "$seconds"
after=$(cpu_of $server)
pause_after=$(gc_pause_of)
wait $tool || status=$?
awk -v b="$before" -v a="$after" -v t="$ticks" -v s="$seconds" -v pb="$pause_before" -v pa="$pause_after" \
  -v hwm="$(awk '/VmHWM/ { print $2 }' /proc/$server/status)" 'BEGIN {
  printf "server: %.0f%% of one core (2 cores = 200%%), peak resident memory %.0f MB, GC pauses %.0f ms in the %d s\n",
    (a - b) / t / s * 100, hwm / 1024, (pa - pb) * 1000, s }'
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "${status:-0}"
