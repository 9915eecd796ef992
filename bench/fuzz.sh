#!/usr/bin/env bash
# The fuzz campaign of tests/*/Fuzz run for longer: rounds of every fuzz target, each round with a new seed and
# LT_FUZZ_SCALE times the CI cases, until MINUTES have passed (a round started before then is finished).
# Defect inputs are saved in artifacts/fuzz/defects/TARGET/SEED-CASE.bin (keep them in tests/data/fuzz/TARGET).
# Usage: bench/fuzz.sh MINUTES [SCALE]   (SCALE default 5)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
minutes="${1:?usage: bench/fuzz.sh MINUTES [SCALE]}"
scale="${2:-5}"

work="artifacts/fuzz"
mkdir -p "$work"
report="$work/report.txt"
: > "$report"
export LT_FUZZ_REPORT="$root/$report" LT_FUZZ_DEFECTS="$root/$work/defects" LT_FUZZ_SCALE="$scale"

dotnet build tests/Pipeline.Tests -c Release --verbosity quiet >/dev/null
dotnet build tests/Replay.Tests -c Release --verbosity quiet >/dev/null

start=$(date +%s)
deadline=$((start + minutes * 60))
round=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  round=$((round + 1))
  seed=$(( (RANDOM << 15 | RANDOM) ))
  echo "== round $round, LT_FUZZ_SEED=$seed, LT_FUZZ_SCALE=$scale"
  for project in tests/Pipeline.Tests tests/Replay.Tests; do
    LT_FUZZ_SEED=$seed dotnet test "$project" -c Release --no-build --filter "FullyQualifiedName~.Fuzz." \
      > "$work/round-$round-$(basename "$project").log" 2>&1 \
      || grep -h -A2 "FUZZ DEFECT" "$work/round-$round-$(basename "$project").log" | cut -c1-300 || true
  done
done

elapsed_min=$(( ($(date +%s) - start + 30) / 60 ))
awk '{ cases[$1] += $2; defects[$1] += $3 } END { for (t in cases) printf "  %-20s %9d cases %3d defects\n", t, cases[t], defects[t] }' "$report" | sort
cases=$(awk '{ s += $2 } END { print s + 0 }' "$report")
defects=$(awk '{ s += $3 } END { print s + 0 }' "$report")
echo "fuzz: $elapsed_min min, $cases cases, $defects defects"
