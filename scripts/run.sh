#!/usr/bin/env bash
# The live demo on the embedded defaults: simulated traffic -> InMemory -> pipeline -> co-plays on the console.
# Extra arguments go to the executable, e.g. ./scripts/run.sh run --Simulator:PlaysPerSecond=20000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

./scripts/setup.sh
dotnet build src/Host/Host.csproj -c Release --no-restore --verbosity quiet
if [ "$#" -eq 0 ]; then set -- run; fi
exec dotnet src/Host/bin/Release/net10.0/lt.dll "$@"
