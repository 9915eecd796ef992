#!/usr/bin/env bash
# The Google Cloud Pub/Sub emulator for tests and benchmarks, in its own process group so that stop ends the Java
# child that outlives the gcloud wrapper.
# Usage: scripts/pubsub-emulator.sh start [PORT] [STATE_DIR]   prints host:port once the port answers
#        scripts/pubsub-emulator.sh stop [STATE_DIR]
# PORT defaults to 8085; STATE_DIR (pid file and log) to artifacts/pubsub-emulator.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command="${1:-}"

port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$command" in
  start)
    port="${2:-8085}"
    state="${3:-$root/artifacts/pubsub-emulator}"
    if ! command -v gcloud >/dev/null 2>&1; then
      echo "gcloud is missing: the Pub/Sub emulator needs the Google Cloud CLI with its beta and pubsub-emulator components (and Java 17)" >&2
      exit 3
    fi
    if port_answers "$port"; then
      echo "127.0.0.1:$port is already in use" >&2
      exit 4
    fi
    mkdir -p "$state/data"
    setsid gcloud beta emulators pubsub start --host-port="127.0.0.1:$port" --project=lt-test \
      --data-dir="$state/data" >"$state/emulator.log" 2>&1 < /dev/null &
    echo $! > "$state/pgid"
    for _ in $(seq 1 600); do
      if port_answers "$port"; then
        echo "127.0.0.1:$port"
        exit 0
      fi
      if ! kill -0 "$(cat "$state/pgid")" 2>/dev/null; then
        echo "the Pub/Sub emulator exited before it listened on $port; its log:" >&2
        cat "$state/emulator.log" >&2
        exit 5
      fi
      sleep 0.1
    done
    echo "the Pub/Sub emulator did not listen on $port within 60 s; its log: $state/emulator.log" >&2
    kill -- "-$(cat "$state/pgid")" 2>/dev/null || true
    exit 6
    ;;
  stop)
    state="${2:-$root/artifacts/pubsub-emulator}"
    if [ -s "$state/pgid" ]; then
      pgid="$(cat "$state/pgid")"
      kill -- "-$pgid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 -- "-$pgid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 -- "-$pgid" 2>/dev/null || true
      rm -f "$state/pgid"
    fi
    ;;
  *)
    echo "usage: $0 start [PORT] [STATE_DIR] | stop [STATE_DIR]" >&2
    exit 64
    ;;
esac
