#!/usr/bin/env bash
# Starts or stops Azurite's Blob service on 127.0.0.1: the Event Hubs checkpoint store and replay's Blob inputs
# against a local Azure Storage. The tests start their own on a free port; this is for trying things by hand.
#   scripts/azurite.sh start   (AZURITE_PORT, default 10000; AZURITE_DIR, default artifacts/azurite)
#   scripts/azurite.sh stop
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${AZURITE_PORT:-10000}"
dir="${AZURITE_DIR:-$root/artifacts/azurite}"
pidfile="$dir/azurite.pid"
bin="$root/tools/node_modules/.bin/azurite-blob"

running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
  start)
    if [ ! -x "$bin" ]; then
      echo "Azurite is not installed ($bin is missing): run scripts/setup.sh" >&2
      exit 1
    fi
    if running; then
      echo "Azurite is already running (pid $(cat "$pidfile"))."
    else
      mkdir -p "$dir/data"
      # Its own process group, so stop ends node and anything it started.
      setsid "$bin" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir/data" \
        --skipApiVersionCheck --disableTelemetry --silent >"$dir/azurite.log" 2>&1 </dev/null &
      echo $! >"$pidfile"
      for _ in $(seq 1 150); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
          break
        fi
        if ! running; then
          echo "Azurite exited at start; its log ($dir/azurite.log):" >&2
          cat "$dir/azurite.log" >&2
          rm -f "$pidfile"
          exit 1
        fi
        sleep 0.2
      done
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "Azurite did not listen on 127.0.0.1:$port within 30 s; its log: $dir/azurite.log" >&2
        exit 1
      fi
    fi
    # The well-known development account of Azurite (a public key, not a secret).
    echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
    ;;
  stop)
    if running; then
      kill -- "-$(cat "$pidfile")" 2>/dev/null || kill "$(cat "$pidfile")"
      echo "Azurite stopped."
    else
      echo "Azurite is not running."
    fi
    rm -f "$pidfile"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
