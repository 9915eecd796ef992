#!/usr/bin/env bash
# The kill loop: one `lt run --stage all` on the Pub/Sub emulator (archive, Results:Jsonl and Results:ParquetDir on)
# consumes live plays and is killed with SIGKILL at random moments, ROUNDS times, restarted each time; then it
# drains and stops cleanly, and what it left is checked against `lt replay` of exactly the plays published:
#   - Results:Jsonl (sorted) and Results:ParquetDir (read with DuckDB) equal replay's co-plays row for row, with no
#     (window, track) twice;
#   - `lt replay` of the archive gives the same co-plays and eligible plays (the archive holds only what lt
#     received; every published play is received, as nothing is acknowledged before it is on disk there);
#   - no temporary file, segment or moved-aside file is left in the results or archive folders.
# The plays are a file from `lt simulate --output` with event times from a few seconds ahead, published line by
# line when their event time comes (bench/chaos/publish.mjs), so they are live for the pipeline and known exactly
# for replay (publishing stops 20 s after the last restart; the lines sent are what replay reads). Lateness (60 s)
# and the idle flush (45 s) exceed the time a killed worker's plays take to come back (ack deadline 10 s; on the
# emulator up to some 45 s, see README "Scale-out").
# Kills alternate: odd rounds within 25 s of a start (start-up, the start hold), even rounds within 15 s of the
# worker's first emitted window (writing results, after the start hold of 60 s).
# Last line: chaos: R kills, results == replay of published plays: MATCH n/n, archive == published: MATCH
# (MISMATCH after a summary of the differences, with exit code 1).
# Usage: bench/chaos.sh ROUNDS [--no-build]
#   --no-build          use the build as it is (CI builds first)
#   LT_CHAOS_KILLS      mixed (default, as above) or early (every kill within 25 s of a start: a shorter run)
#   LT_CHAOS_SEED       seed of the plays and kill moments (default: random, printed)
#   LT_CHAOS_RATE       plays a second (default 200)
#   LT_CHAOS_WORK       work folder (default artifacts/chaos, emptied first)
#   LT_CONFIGURATION    the build to run (default Release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
usage="usage: bench/chaos.sh ROUNDS [--no-build]"
rounds="${1:?$usage}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "$usage" >&2; exit 64; }
build=yes
case "${2:-}" in
  "") ;;
  --no-build) build=no ;;
  *) echo "$usage" >&2; exit 64 ;;
esac
seed="${LT_CHAOS_SEED:-$(( (RANDOM << 15 | RANDOM) ))}"
rate="${LT_CHAOS_RATE:-200}"
kills="${LT_CHAOS_KILLS:-mixed}"
[[ "$kills" =~ ^(mixed|early)$ ]] || { echo "chaos: LT_CHAOS_KILLS must be mixed or early" >&2; exit 64; }
configuration="${LT_CONFIGURATION:-Release}"
lateness_ms=60000
idle_flush_ms=45000
ack_deadline_s=10
RANDOM=$((seed % 32768))

lt_dll="src/Host/bin/$configuration/net10.0/lt.dll"
city_db="$root/data/GeoLite2-City.mmdb"
if [ "$build" = yes ]; then
  dotnet build src/Host/Host.csproj -c "$configuration" --verbosity quiet >/dev/null
fi
[ -f "$lt_dll" ] || { echo "chaos: $lt_dll is missing: build first (dotnet build ListeningTogether.sln -c $configuration)" >&2; exit 3; }
[ -f "$city_db" ] || { echo "chaos: $city_db is missing: run scripts/setup.sh" >&2; exit 3; }
[ -f tests/interop/node_modules/@duckdb/node-api/package.json ] \
  || { echo "chaos: DuckDB (tests/interop/node_modules/@duckdb/node-api) is missing: run scripts/setup.sh" >&2; exit 3; }

work="${LT_CHAOS_WORK:-$root/artifacts/chaos}"
rm -rf "$work"
mkdir -p "$work/results" "$work/logs"
plays="$work/plays.jsonl"
archive="$work/archive"
results_jsonl="$work/results/coplays.jsonl"
results_parquet="$work/results-parquet"
lt() { dotnet "$lt_dll" "$@"; }
now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

lt_pid=""
publisher_pid=""
emulator_state="$work/pubsub-emulator"
cleanup() {
  if [ -n "$lt_pid" ]; then kill -9 "$lt_pid" 2>/dev/null || true; wait "$lt_pid" 2>/dev/null || true; fi
  if [ -n "$publisher_pid" ]; then kill "$publisher_pid" 2>/dev/null || true; wait "$publisher_pid" 2>/dev/null || true; fi
  scripts/pubsub-emulator.sh stop "$emulator_state"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

fail() {
  echo "chaos: $*" >&2
  exit 1
}

echo "== chaos: $rounds rounds, seed $seed, $rate plays/s, lateness $lateness_ms ms, idle flush $idle_flush_ms ms, ack deadline $ack_deadline_s s"
started_at=$(now_ms)
emulator="$(scripts/pubsub-emulator.sh start "$(free_port)" "$emulator_state")"
lt_port="$(free_port)"
instance=0
lt_started=0
start_lt() {
  instance=$((instance + 1))
  # SIGINT at its default disposition, which a background job would otherwise ignore.
  env --default-signal=INT dotnet "$lt_dll" run --stage all "--Urls=http://127.0.0.1:$lt_port" \
    --Transport:Kind=PubSub --Transport:PubSub:ProjectId=lt-chaos "--Transport:PubSub:EmulatorHost=$emulator" \
    --Transport:PubSub:Topic=plays --Transport:PubSub:Subscription=plays-pipeline \
    --Transport:PubSub:CreateMissing=true "--Transport:PubSub:AckDeadlineSeconds=$ack_deadline_s" \
    "--Pipeline:AllowedLatenessMs=$lateness_ms" "--Pipeline:StartHoldMs=$lateness_ms" "--Pipeline:IdleFlushMs=$idle_flush_ms" \
    "--Archive:ParquetDir=$archive" --Archive:RollSeconds=20 \
    "--Results:Jsonl=$results_jsonl" "--Results:ParquetDir=$results_parquet" \
    --Simulator:Enabled=false "--Geo:CityDb=$city_db" >"$work/logs/lt-$instance.log" 2>&1 &
  lt_pid=$!
  lt_started=$(now_ms)
}
lt_alive() { kill -0 "$lt_pid" 2>/dev/null; }
lt_ready() { curl -sf --max-time 1 "http://127.0.0.1:$lt_port/readyz" >/dev/null 2>&1; }
died() { # ROUND: lt ended by itself
  local code=0
  wait "$lt_pid" || code=$?
  lt_pid=""
  tail -n 20 "$work/logs/lt-$instance.log" >&2
  fail "$1: lt exited by itself with code $code (log: $work/logs/lt-$instance.log)"
}
rows_so_far() { if [ -f "$results_jsonl" ]; then wc -l < "$results_jsonl"; else echo 0; fi; }
published_so_far() { cat "$work/published" 2>/dev/null || echo 0; }

random_ms() { echo $(( $1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1) )); }
metric() { # NAME: the sum of its series on the running lt, or x when lt does not answer
  local text
  text="$(curl -sf --max-time 2 "http://127.0.0.1:$lt_port/metrics")" || { echo x; return 0; }
  awk -v name="$1" '$1 == name || index($1, name "{") == 1 { s += $NF } END { print s + 0 }' <<<"$text"
}

# The file covers the longest the rounds can take; publishing stops 20 s after the last restart.
max_span_ms=60000
for round in $(seq 1 "$rounds"); do
  if [ "$kills" = early ] || [ $((round % 2)) -eq 1 ]; then max_span_ms=$((max_span_ms + 27000)); else max_span_ms=$((max_span_ms + 167000)); fi
done
count=$(( rate * max_span_ms / 1000 ))

# lt starts while the plays are generated; nothing is published before it is ready, as its subscription exists
# only then (CreateMissing). A publisher that starts late catches up: the first plays are a few seconds old.
start_lt
start_ms=$(( $(now_ms) + 10000 ))
start_iso="$(date -u -d "@$((start_ms / 1000)).$(printf '%03d' $((start_ms % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ)"
minutes="$(awk -v s="$max_span_ms" 'BEGIN { printf "%.6f", s / 60000 }')"
lt simulate --plays "$count" --seed "$seed" --start "$start_iso" --minutes "$minutes" --output "$plays" >"$work/logs/simulate.log" 2>&1 \
  || { cat "$work/logs/simulate.log" >&2; fail "lt simulate failed"; }
deadline=$(( $(now_ms) + 120000 ))
until lt_ready; do
  lt_alive || died "start"
  [ "$(now_ms)" -lt "$deadline" ] || fail "lt was not ready within 120 s (log: $work/logs/lt-$instance.log)"
  sleep 0.2
done
node bench/chaos/publish.mjs "$emulator" lt-chaos plays "$plays" "$start_ms" "$max_span_ms" "$work/published" "$work/stop-publishing" \
  >"$work/logs/publish.log" 2>&1 &
publisher_pid=$!
echo "== $rate plays/s from $start_iso; kills: $kills"
while [ "$(now_ms)" -lt "$start_ms" ]; do sleep 0.2; done

# The first round counts from the first play, the others from the restart.
lt_started=$start_ms
for round in $(seq 1 "$rounds"); do
  if [ "$kills" = early ] || [ $((round % 2)) -eq 1 ]; then
    phase="early"
    kill_at=$(( lt_started + $(random_ms 2000 25000) ))
  else
    # The first window emitted ends the start hold; the kill comes while the held windows are written.
    phase="writing results"
    kill_at=$(( lt_started + 150000 ))
    delay_ms=$(random_ms 0 15000)
    while [ "$(now_ms)" -lt "$kill_at" ]; do
      lt_alive || died "round $round"
      emitted="$(metric lt_windows_emitted_total)"
      if [ "$emitted" != 0 ] && [ "$emitted" != x ]; then
        kill_at=$(( $(now_ms) + delay_ms ))
        break
      fi
      sleep 0.5
    done
  fi
  while [ "$(now_ms)" -lt "$kill_at" ]; do
    lt_alive || died "round $round"
    sleep 0.1
  done
  state=starting
  lt_ready && state=ready
  emitted="$(metric lt_windows_emitted_total)"
  if [ "$emitted" = x ]; then emitted="no metrics yet, so no"; fi
  lt_alive || died "round $round"
  kill -9 "$lt_pid"
  wait "$lt_pid" 2>/dev/null || true
  printf 'round %d/%d, %s: SIGKILL %.1f s after start (%s, %s, %s windows emitted), %d result rows so far, %d plays published\n' \
    "$round" "$rounds" "$(date +%T)" "$(awk -v d="$(( $(now_ms) - lt_started ))" 'BEGIN { print d / 1000 }')" "$phase" "$state" \
    "$emitted" "$(rows_so_far)" "$(published_so_far)"
  start_lt
done

sleep 20
touch "$work/stop-publishing"
code=0
wait "$publisher_pid" || code=$?
publisher_pid=""
[ "$code" -eq 0 ] || { cat "$work/logs/publish.log" >&2; fail "the publisher failed with code $code"; }
echo "== published $(published_so_far) plays; waiting for the idle flush ($((idle_flush_ms / 1000)) s) and redeliveries"

# Drained: no window open and no record received for 3 s, with redeliveries of the last kill long back.
head -n "$(published_so_far)" "$plays" > "$work/published.jsonl"
deadline=$(( $(now_ms) + idle_flush_ms + lateness_ms + 120000 ))
quiet_since=0
last_received=-1
while true; do
  lt_alive || died "drain"
  [ "$(now_ms)" -lt "$deadline" ] || fail "lt did not drain in time (log: $work/logs/lt-$instance.log)"
  open="$(metric lt_windows_open)"
  received="$(metric lt_plays_total)"
  if [ "$open" = 0 ] && [ "$received" = "$last_received" ] && [ "$received" != x ] \
    && [ $(( $(now_ms) - lt_started )) -gt $(( (ack_deadline_s + 10) * 1000 )) ]; then
    [ "$quiet_since" -gt 0 ] || quiet_since=$(now_ms)
    [ $(( $(now_ms) - quiet_since )) -lt 3000 ] || break
  else
    quiet_since=0
  fi
  last_received="$received"
  sleep 0.5
done
kill -TERM "$lt_pid"
code=0
wait "$lt_pid" || code=$?
lt_pid=""
[ "$code" -eq 0 ] || { tail -n 20 "$work/logs/lt-$instance.log" >&2; fail "lt exited with code $code after SIGTERM (log: $work/logs/lt-$instance.log)"; }
scripts/pubsub-emulator.sh stop "$emulator_state"

echo "== comparing with lt replay"
lt replay --input "$work/published.jsonl" --output "$work/expected" >"$work/logs/replay-published.log" 2>&1 \
  || { cat "$work/logs/replay-published.log" >&2; fail "lt replay of the published plays failed"; }
lt replay --input "$archive" --output "$work/from-archive" >"$work/logs/replay-archive.log" 2>&1 \
  || { cat "$work/logs/replay-archive.log" >&2; fail "lt replay of the archive failed"; }
expected="$work/expected/coplays.jsonl"
n=$(wc -l < "$expected")
[ "$n" -gt 0 ] || fail "the published plays have no co-plays: nothing to compare"

# compare NAME EXPECTED ACTUAL: rows as lines keyed by what precedes ,"plays"; prints what differs, sets $equal.
compare() {
  local name="$1" summary
  summary="$(awk -v name="$name" '
    function key(line) { return substr(line, 1, index(line, ",\"plays\"") - 1) }
    FNR == NR { want[key($0)] = $0; next }
    { k = key($0); if (k in seen) dup++; seen[k] = 1; if (!(k in want)) extra[++x] = $0; else if (want[k] == $0) equal++; else differ[++d] = $0 }
    END {
      for (k in want) if (!(k in seen)) missing[++m] = want[k]
      printf "%d\n", equal
      if (m + d + x + dup > 0) {
        printf "%s: %d rows equal, %d missing, %d different, %d not expected, %d keys more than once\n", name, equal, m, d, x, dup
        for (i = 1; i <= m && i <= 3; i++) printf "  missing:   %s\n", substr(missing[i], 1, 200)
        for (i = 1; i <= d && i <= 3; i++) printf "  different: %s\n", substr(differ[i], 1, 200)
        for (i = 1; i <= x && i <= 3; i++) printf "  extra:     %s\n", substr(extra[i], 1, 200)
      }
    }' "$2" "$3")"
  equal="$(head -n 1 <<<"$summary")"
  tail -n +2 <<<"$summary"
  [ "$(wc -l <<<"$summary")" -eq 1 ]
}

results_ok=yes
archive_ok=yes
compare Results:Jsonl "$expected" "$results_jsonl" || results_ok=no
jsonl_equal=$equal
node bench/chaos/coplay-rows.mjs "$work/expected-parquet.jsonl" "$work/expected/coplays.parquet" >/dev/null
node bench/chaos/coplay-rows.mjs "$work/results-parquet.jsonl" "$results_parquet" >/dev/null
compare Results:ParquetDir "$work/expected-parquet.jsonl" "$work/results-parquet.jsonl" || results_ok=no
parquet_equal=$equal
compare "replay of the archive" "$expected" "$work/from-archive/coplays.jsonl" || archive_ok=no
eligible() { node -p "JSON.parse(require('fs').readFileSync('$1/summary.json', 'utf8')).eligiblePlays"; }
if [ "$(eligible "$work/expected")" != "$(eligible "$work/from-archive")" ]; then
  echo "archive: $(eligible "$work/from-archive") eligible plays, published: $(eligible "$work/expected")"
  archive_ok=no
fi

# Left over: anything but the results file, minute files and archive Parquet files (an empty _segments/ may stay).
leftovers() { # DIR PATTERN: files under DIR whose path relative to it does not match PATTERN
  [ -d "$1" ] || return 0
  (cd "$1" && find . -type f | sed 's|^\./||' | grep -Ev "$2" || true)
}
left="$(leftovers "$work/results" '^coplays\.jsonl$'; leftovers "$results_parquet" '^dt=[0-9-]+/hour=[0-9]+/coplays-[0-9T]+\.parquet$')"
[ -z "$left" ] || { echo "left in the results folders:"; sed 's/^/  /' <<<"$left"; results_ok=no; }
left="$(leftovers "$archive" '^dt=[0-9-]+/hour=[0-9]+/[^_.][^/]*\.parquet$')"
[ -z "$left" ] || { echo "left in the archive:"; sed 's/^/  /' <<<"$left"; archive_ok=no; }

matched=$(( jsonl_equal < parquet_equal ? jsonl_equal : parquet_equal ))
[ "$results_ok" = yes ] && results_verdict="MATCH $matched/$n" || results_verdict="MISMATCH $matched/$n"
[ "$archive_ok" = yes ] && archive_verdict=MATCH || archive_verdict=MISMATCH
echo "== $(( ($(now_ms) - started_at) / 1000 )) s, seed $seed, work folder $work"
echo "chaos: $rounds kills, results == replay of published plays: $results_verdict, archive == published: $archive_verdict"
[ "$results_ok" = yes ] && [ "$archive_ok" = yes ]
