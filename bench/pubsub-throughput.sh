#!/usr/bin/env bash
# Pub/Sub throughput, this adapter beside the official Node.js client (@google-cloud/pubsub 5.3.1), in one run
# against the same emulator: the same ~200-byte plays, the same number of StreamingPull streams, medians of RUNS.
# Usage: bench/pubsub-throughput.sh [RUNS] [MESSAGES] [STREAMS]   (defaults 5, 100000, 5 = the Node client's default streams)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-5}"
count="${2:-100000}"
streams="${3:-5}"

dotnet build bench/PubSubBench/ListeningTogether.PubSubBench.csproj -c Release --verbosity quiet >/dev/null
(cd bench/pubsub-node && { [ -d node_modules/@google-cloud/pubsub ] || npm ci --no-audit --no-fund --loglevel=error; })

state="$root/artifacts/bench/pubsub-emulator"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
trap 'scripts/pubsub-emulator.sh stop "$state"' EXIT
export PUBSUB_EMULATOR_HOST="$(scripts/pubsub-emulator.sh start "$port" "$state")"
export LT_BENCH_PROJECT=lt-bench
dotnet_bench() { dotnet bench/PubSubBench/bin/Release/net10.0/ListeningTogether.PubSubBench.dll "$@"; }
node_bench() { (cd bench/pubsub-node && node bench.mjs "$@" 2>/dev/null); }

results="$root/artifacts/bench/pubsub-throughput.tsv"
: > "$results"
measure() { # CLIENT RUN: publish then subscribe on a fresh topic and subscription
  local client="$1" run="$2" topic="bench-$1-$2-$RANDOM" line
  dotnet_bench setup "$topic" "$topic-sub"
  line="$("${client}_bench" publish "$topic" "$count")"; echo "$line"; echo "$line" >> "$results"
  line="$("${client}_bench" subscribe "$topic-sub" "$count" "$streams")"; echo "$line"; echo "$line" >> "$results"
  dotnet_bench teardown "$topic" "$topic-sub"
  if [ "$client" = node ]; then
    topic="$topic-b1000"
    dotnet_bench setup "$topic" "$topic-sub"
    line="$(node_bench publish "$topic" "$count" 1000)"; echo "$line"; echo "$line" >> "$results"
    dotnet_bench teardown "$topic" "$topic-sub"
  fi
}

# Warm the emulator's JIT before anything counts.
dotnet_bench setup warm-up warm-up-sub
dotnet_bench publish warm-up 20000 >/dev/null
dotnet_bench subscribe warm-up-sub 20000 "$streams" >/dev/null
dotnet_bench teardown warm-up warm-up-sub

for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs ($count messages, $streams streams)"
  if [ $((run % 2)) -eq 1 ]; then measure dotnet "$run"; measure node "$run"; else measure node "$run"; measure dotnet "$run"; fi
done

echo "== medians of $runs runs, messages/s"
awk '{ key = $1 " " $2; rates[key] = rates[key] " " $5 }
  END {
    for (key in rates) {
      n = split(substr(rates[key], 2), r, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] + 0 < r[i] + 0) { t = r[i]; r[i] = r[j]; r[j] = t }
      median = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
      printf "%-32s %8.0f   (runs: %s)\n", key, median, substr(rates[key], 2)
    }
  }' "$results" | sort
