#!/usr/bin/env bash
# The live demo on the embedded defaults: simulated traffic -> InMemory -> pipeline -> SignalR -> site on http://localhost:8080.
# Extra arguments go to the executable, e.g. ./scripts/run.sh serve --Simulator:PlaysPerSecond=20000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

./scripts/setup.sh
dotnet build src/Host/Host.csproj -c Release --no-restore --verbosity quiet
if [ "$#" -eq 0 ]; then set -- serve; fi
exec dotnet src/Host/bin/Release/net10.0/lt.dll "$@"
