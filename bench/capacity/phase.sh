# phase NAME RATE INGESTS MATCHES "VIEWERS-OF-SITE-0 VIEWERS-OF-SITE-1 ..." [EXTRA-INGEST-ARGS]
# One measurement on a fresh emulator: the split stages of DESIGN.md "Scale-out" (match replica K on shard K of
# MATCHES, site replica K with its own results subscription and its own viewers from the load tool), plays
# published by `lt simulate --publish --rate RATE`. Writes $work/NAME/result with one line a process:
#   name idle-cores busy-cores work-per-second co-plays-per-second peak-resident-MB
# idle: the stage running with no traffic and no viewers; busy: the steady interval of $seconds. Work is plays
# received (ingest, match) or co-plays pushed (site); co-plays are those emitted (match) or read (site); the emulator's line sums its
# process group. $work/NAME/report keeps the load tools' delivery reports.
phase() {
  local name="$1" rate="$2" ingests="$3" matches="$4" viewers_per_site="$5" extra="${6:-}"
  local dir="$work/$name" k v t site_count=0 total_plays
  rm -rf "$dir"; mkdir -p "$dir"
  pids="$dir/pids"; ports="$dir/ports"; tools="$dir/tools"; : > "$pids"; : > "$ports"; : > "$tools"
  local saved_work="$work"; work="$dir"

  export PUBSUB_EMULATOR_HOST; PUBSUB_EMULATOR_HOST="$(scripts/pubsub-emulator.sh start "$(free_port)" "$dir/emulator")"
  emulator_state="$dir/emulator"
  t="$(transport_args "$name" "$matches")"

  for k in $(seq 0 $((matches - 1))); do
    # The results subscription named here is the one this build's match publisher creates beside the results topic
    # (site-0's); sites of a build where each replica creates its own ignore it.
    # shellcheck disable=SC2086
    start_stage "match-$k" "$(free_port)" run --stage match $t --Transport:PubSub:ShardIndex="$k" \
      --Transport:PubSub:ResultsSubscription="$name-site-0"
  done
  for v in $viewers_per_site; do
    # A results subscription per replica, whether this build adds the replica's name to it or not: every site
    # replica reads all results (DESIGN.md "One world view").
    # shellcheck disable=SC2086
    start_stage "site-$site_count" "$(free_port)" serve --stage site $t --Site:ReplicaName="site-$site_count" \
      --Transport:PubSub:ResultsSubscription="$name-site-$site_count" \
      --Site:MaxConnectionsPerAddress=1000000 --Site:MaxConnectsPerMinutePerAddress=1000000
    site_count=$((site_count + 1))
  done
  for k in $(seq 0 $((ingests - 1))); do
    # shellcheck disable=SC2086
    start_stage "ingest-$k" "$(free_port)" run --stage ingest $t --Archive:ParquetDir="$dir/archive" $extra
  done
  while read -r stage _; do wait_ready "$stage"; done < "$ports"

  # The ingest replicas decode the whole City database 30 s after they start: behind them before anything counts.
  for k in $(seq 0 $((ingests - 1))); do
    for _ in $(seq 1 120); do grep -q "records decoded" "$dir/ingest-$k.log" && break; sleep 0.5; done
  done

  # Idle: every stage up, nothing published, nobody watching.
  sample "$dir/idle-before"; sleep "$idle"; sample "$dir/idle-after"

  total_plays=$((rate * (warmup + seconds + 150)))
  # shellcheck disable=SC2086
  "$lt" simulate --publish --rate "$rate" --plays "$total_plays" $t > "$dir/publisher.log" 2>&1 &
  echo "publisher=$!" >> "$pids"

  # Warm-up: traffic flowing through every stage.
  sleep "$warmup"

  # Viewers connect (a few seconds), then watch through the whole steady interval and a little after it.
  k=0
  for v in $viewers_per_site; do
    if [ "$v" -gt 0 ]; then
      "$loadtool" "http://127.0.0.1:$(port_of "site-$k")" "$v" $((seconds + 15)) > "$dir/viewers-site-$k.txt" 2>&1 &
      echo "viewers-$k=$!" >> "$tools"
    fi
    k=$((k + 1))
  done
  if [ -s "$tools" ]; then sleep 10; fi

  sample "$dir/busy-before" with-emulator; sleep "$seconds"; sample "$dir/busy-after" with-emulator

  # The load tools report once their span (which covers the measured interval) is over.
  if [ -s "$tools" ]; then
    while IFS='=' read -r _ pid; do wait "$pid" || true; done < "$tools"
    for k in $(seq 0 $((site_count - 1))); do
      if [ -s "$dir/viewers-site-$k.txt" ]; then sed "s/^/site-$k viewers: /" "$dir/viewers-site-$k.txt"; fi
    done > "$dir/report"
  fi
  peak_memory > "$dir/peak"
  stop_all
  scripts/pubsub-emulator.sh stop "$emulator_state"; emulator_state=""

  awk -v t="$ticks" -v idle="$idle" -v busy="$seconds" '
    FILENAME ~ /idle-before/ { ib[$1] = $2 } FILENAME ~ /idle-after/ { ia[$1] = $2 }
    FILENAME ~ /busy-before/ { bb[$1] = $2; wb[$1] = $3; cb[$1] = $4; order[++n] = $1 }
    FILENAME ~ /busy-after/ { ba[$1] = $2; wa[$1] = $3; ca[$1] = $4 }
    FILENAME ~ /peak/ { peak[$1] = $2 }
    END {
      for (i = 1; i <= n; i++) {
        p = order[i]
        printf "%s %.4f %.4f %.1f %.1f %.0f\n", p, (p in ia) ? (ia[p] - ib[p]) / t / idle : 0, (ba[p] - bb[p]) / t / busy,
          (wa[p] - wb[p]) / busy, (ca[p] - cb[p]) / busy, peak[p]
      }
    }' "$dir/idle-before" "$dir/idle-after" "$dir/busy-before" "$dir/busy-after" "$dir/peak" > "$dir/result"
  work="$saved_work"
}
