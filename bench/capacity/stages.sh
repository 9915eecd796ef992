# Functions bench/capacity.sh sources: start the split stages of DESIGN.md "Scale-out" against one Pub/Sub emulator,
# wait for them, read their CPU time and Prometheus counters. Every process started here is recorded in $pids
# (stages and publisher, name=pid lines, sampled) or $tools (load tools, not sampled: they report their own CPU), so
# the caller stops exactly those.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The Transport:PubSub arguments of every stage and of the publisher, for one phase's topics (prefix $1, shards $2).
transport_args() {
  local prefix="$1" shards="$2"
  echo "--Transport:Kind=PubSub --Transport:PubSub:ProjectId=lt-test --Transport:PubSub:EmulatorHost=$PUBSUB_EMULATOR_HOST" \
    "--Transport:PubSub:CreateMissing=true --Transport:PubSub:Topic=$prefix-plays --Transport:PubSub:Subscription=$prefix-ingest" \
    "--Transport:PubSub:RepartitionTopic=$prefix-by-track --Transport:PubSub:ShardCount=$shards" \
    "--Transport:PubSub:ResultsTopic=$prefix-coplays --Simulator:Enabled=false --Geo:CityDb=$root/data/GeoLite2-City.mmdb"
}

# start_stage NAME PORT ARGS...: one lt process in the background, its log in $work/NAME.log.
start_stage() {
  local name="$1" port="$2"; shift 2
  # shellcheck disable=SC2086
  "$lt" "$@" --Urls="http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  echo "$name=$!" >> "$pids"
  echo "$name $port" >> "$ports"
}

pid_of() { awk -F= -v n="$1" '$1 == n { print $2 }' "$pids"; }
port_of() { awk -v n="$1" '$1 == n { print $2 }' "$ports"; }

wait_ready() { # NAME: until /readyz answers 200 (90 s at most)
  local port; port="$(port_of "$1")"
  for _ in $(seq 1 180); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$(pid_of "$1")" 2>/dev/null || { echo "$1 exited before it was ready; its log:" >&2; tail -n 20 "$work/$1.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 was not ready within 90 s; its log: $work/$1.log" >&2
  return 1
}

# CPU time (user + system) of a process in clock ticks, from /proc/PID/stat (fields 14 and 15; the command name in
# field 2 may hold spaces, so count from the closing parenthesis).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# The sum of every sample of a Prometheus counter of stage NAME, e.g. lt_plays_total over all outcomes.
metric() {
  curl -fs "http://127.0.0.1:$(port_of "$1")/metrics" \
    | awk -v m="$2" '($1 == m || index($1, m "{") == 1) && $1 !~ /^#/ { sum += $NF } END { printf "%.0f\n", sum }'
}

# The processes of the emulator's process group (the gcloud wrapper and its Java child).
emulator_pids() { [ -n "${emulator_state:-}" ] && [ -s "$emulator_state/pgid" ] && ps -e -o pid=,pgid= | awk -v g="$(cat "$emulator_state/pgid")" '$2 == g { print $1 }'; }

# sample FILE [with-emulator]: one line per process, "name ticks work coplays": work is plays received (ingest,
# match) or co-plays pushed (site); coplays the co-plays the stage emitted (match) or read (site).
sample() {
  local file="$1" name pid work coplays ticks=0
  : > "$file"
  while IFS='=' read -r name pid; do
    case "$name" in
      ingest* | match*) work="$(metric "$name" lt_plays_total)" ;;
      site*) work="$(metric "$name" lt_coplays_pushed_total)" ;;
      *) work=0 ;;
    esac
    case "$name" in
      ingest* | match* | site*) coplays="$(metric "$name" lt_coplays_total)" ;;
      *) coplays=0 ;;
    esac
    echo "$name $(cpu_ticks "$pid") ${work:-0} ${coplays:-0}" >> "$file"
  done < "$pids"
  if [ "${2:-}" = with-emulator ]; then
    for pid in $(emulator_pids); do ticks=$((ticks + $(cpu_ticks "$pid"))); done
    echo "emulator $ticks 0 0" >> "$file"
  fi
}

# peak_memory: "name MB" of each process's peak resident memory (VmHWM); the emulator's is its group's sum.
peak_memory() {
  local name pid kb=0
  while IFS='=' read -r name pid; do
    echo "$name $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo 0)"
  done < "$pids"
  for pid in $(emulator_pids); do kb=$((kb + $(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0))); done
  echo "emulator $((kb / 1024))"
}

stop_all() { # the processes this script started, by their ids, newest first
  if [ -s "${tools:-}" ]; then
    while IFS='=' read -r _ pid; do kill "$pid" 2>/dev/null || true; done < "$tools"
    : > "$tools"
  fi
  [ -s "$pids" ] || return 0
  tac "$pids" | while IFS='=' read -r _ pid; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    while IFS='=' read -r _ pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$pids"
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  while IFS='=' read -r _ pid; do kill -9 "$pid" 2>/dev/null || true; done < "$pids"
  : > "$pids"
}
