# The capacity model from bench/capacity.sh's steps (result lines: name idle busy work/s co-plays/s peak-MB).
# model: cores = idle + slope x work, per stage, from the model step; the ceiling step gives what one StreamingPull
# stream of the emulator carries; the check step is measured beside what the model predicts for it. Then the
# replicas for 100,000 plays/s and 100,000 viewers at the manifests' CPU requests and autoscaling targets.
# Variables: rate, viewers, ceiling_rate, check_rate, target_coplays (co-plays/s at 100,000 plays/s).
function ceil(x) { return x == int(x) ? x : int(x) + 1 }
function max(a, b) { return a > b ? a : b }
function pct(measured, predicted) { return predicted > 0 ? sprintf("%+.0f%%", (measured - predicted) / predicted * 100) : "-" }

FILENAME ~ /\/model\// { idle[$1] = $2; busy[$1] = $3; work[$1] = $4; coplays[$1] = $5; peak[$1] = $6 }
FILENAME ~ /\/ceiling\// { c_busy[$1] = $3; c_work[$1] = $4 }
FILENAME ~ /\/check\// { k_idle[$1] = $2; k_busy[$1] = $3; k_work[$1] = $4; k_coplays[$1] = $5; k_peak[$1] = $6; k_order[++k_n] = $1 }

END {
  ingest_slope = (busy["ingest-0"] - idle["ingest-0"]) / work["ingest-0"] * 1000
  match_slope = (busy["match-0"] - idle["match-0"]) / work["match-0"] * 1000
  read_slope = (busy["site-0"] - idle["site-0"]) / coplays["site-0"] * 1000
  # At a few hundred co-plays/s the site's reading hides in its idle work. For 100,000 plays/s the model takes the
  # larger of what was measured and twice the match's cost per message received (a co-play message is about twice
  # a repartitioned play, and both are received and parsed alike).
  read_used = max(read_slope, 2 * match_slope)
  viewer_cost = (busy["site-1"] - busy["site-0"]) / viewers * 1000
  pushes = work["site-1"]

  print "== the model (step 2, " rate " plays/s published)"
  printf "ingest: %.4f cores per 1,000 plays/s received (%.0f/s), above %.3f idle; %.4f with idle\n",
    ingest_slope, work["ingest-0"], idle["ingest-0"], busy["ingest-0"] / work["ingest-0"] * 1000
  printf "match:  %.4f cores per 1,000 plays/s received (%.0f/s, %.0f co-plays/s out), above %.3f idle; %.4f with idle\n",
    match_slope, work["match-0"], coplays["match-0"], idle["match-0"], busy["match-0"] / work["match-0"] * 1000
  printf "site:   %.4f cores per 1,000 viewers (site-1 minus site-0, %d viewers, %.1f co-plays pushed a second to each)\n",
    viewer_cost, viewers, pushes
  printf "        %.4f cores per 1,000 co-plays/s read (site-0 without viewers: %.0f co-plays/s), above %.3f idle\n",
    read_slope, coplays["site-0"], idle["site-0"]
  if (read_used > read_slope)
    printf "        (below what this rate can show: the model uses %.4f, twice the match's cost per message)\n", read_used
  printf "emulator: %.3f cores while it carried this step (publish, 2 subscriptions of plays, 2 of results)\n", busy["emulator"]
  if (work["ingest-0"] < 0.95 * rate) printf "NOTE: ingest received %.0f of %d plays/s published: the rest was backlog\n", work["ingest-0"], rate

  print "== the emulator's per-stream ceiling (step 3, " ceiling_rate " plays/s published, ingest on one stream)"
  per_stream = c_work["ingest-0"]
  if (per_stream < 0.95 * ceiling_rate) {
    printf "one StreamingPull stream carried %.0f messages/s of %d published: the emulator's per-stream ceiling (the rest is backlog)\n", per_stream, ceiling_rate
    printf "(ingest used %.3f cores doing it: the stream, not the stage, was the limit)\n", c_busy["ingest-0"]
  } else {
    printf "one stream carried all %d plays/s (%.0f/s received): the ceiling is above this rate\n", ceiling_rate, per_stream
  }

  print "== scaled-down check (step 4, " check_rate " plays/s published): measured against the model"
  printf "%-10s %11s %11s %7s %12s %12s\n", "process", "measured", "model", "diff", "plays/s in", "peak MB"
  for (i = 1; i <= k_n; i++) {
    p = k_order[i]
    if (p ~ /^ingest/) predicted = idle["ingest-0"] + ingest_slope * k_work[p] / 1000
    else if (p ~ /^match/) predicted = idle["match-0"] + match_slope * k_work[p] / 1000
    else if (p ~ /^site/) predicted = idle["site-0"] + read_used * k_coplays[p] / 1000 + viewer_cost * (viewers / 2) / 1000
    else continue
    stage = p; sub(/-[0-9]+$/, "", stage)
    measured_total[stage] += k_busy[p]; predicted_total[stage] += predicted
    if (p !~ /^site/) received[stage] += k_work[p]
    printf "%-10s %11.3f %11.3f %7s %12s %12d\n", p, k_busy[p], predicted, pct(k_busy[p], predicted), p ~ /^site/ ? "-" : sprintf("%.0f", k_work[p]), k_peak[p]
  }
  for (stage in measured_total)
    printf "%-10s %11.3f %11.3f %7s  all replicas of the stage\n", stage, measured_total[stage], predicted_total[stage], pct(measured_total[stage], predicted_total[stage])
  if (received["ingest"] < 0.95 * check_rate) printf "NOTE: the ingest replicas received %.0f of %d plays/s published\n", received["ingest"], check_rate

  # 100,000 plays/s and 100,000 viewers, at the manifests' requests and targets: a replica is planned to use at most
  # request x target of its request; the rest is headroom (catch-up after a restart, bursts, the autoscaler's lag).
  plays = 100000; audience = 100000
  ingest_request = 1; ingest_target = 0.7
  match_request = 1; match_target = 0.5
  site_target = 0.6
  ingest_replicas = ceil(ingest_slope * plays / 1000 / (ingest_request * ingest_target - idle["ingest-0"]))
  # Matching spreads by track over the shards; plan for the busiest shard carrying 1.25x the mean.
  match_plays = plays * work["match-0"] / work["ingest-0"]
  shards = ceil(1.25 * match_slope * match_plays / 1000 / (match_request * match_target - idle["match-0"]))
  # Every site replica reads all co-plays before it serves its first viewer: that comes out of each replica's budget.
  site_request = 1
  site_fixed = idle["site-0"] + read_used * target_coplays / 1000
  if (site_fixed >= site_request * site_target) {
    printf "NOTE: reading all co-plays (%.2f cores) leaves a site replica of %s CPU nothing for viewers: raise its request\n", site_fixed, site_request
    site_request = ceil(2 * site_fixed / site_target)
  }
  site_replicas = ceil(viewer_cost * audience / 1000 / (site_request * site_target - site_fixed))
  ingest_cores = ingest_replicas * idle["ingest-0"] + ingest_slope * plays / 1000
  match_cores = shards * idle["match-0"] + match_slope * match_plays / 1000
  site_cores = site_replicas * site_fixed + viewer_cost * audience / 1000

  print "== for 100,000 plays/s and 100,000 viewers (extrapolated from step 2; " target_coplays " co-plays/s from step 1)"
  printf "%-7s %9s %13s %8s %7s %s\n", "stage", "replicas", "CPU request", "target", "cores", "per replica"
  printf "%-7s %9d %13s %7.0f%% %7.2f %.0f plays/s, %.2f cores\n", "ingest", ingest_replicas, ingest_request, ingest_target * 100, ingest_cores,
    plays / ingest_replicas, ingest_cores / ingest_replicas
  printf "%-7s %9d %13s %7.0f%% %7.2f %.0f eligible plays/s (ShardCount %d), %.2f cores\n", "match", shards, match_request, match_target * 100, match_cores,
    match_plays / shards, shards, match_cores / shards
  printf "%-7s %9d %13s %7.0f%% %7.2f %.0f viewers, %.2f cores (%.2f of them reading all %d co-plays/s)\n", "site", site_replicas, site_request,
    site_target * 100, site_cores, audience / site_replicas, site_cores / site_replicas, site_fixed, target_coplays
  if (per_stream < 0.95 * ceiling_rate) {
    printf "on the emulator (%.0f messages/s a stream): ingest needs %d streams in all (Transport:PubSub:Streams=%d per replica),\n",
      per_stream, ceil(plays / per_stream), ceil(plays / per_stream / ingest_replicas)
    printf "  a match shard %d (%.0f plays/s), each site replica's subscription %d (%d co-plays/s)\n",
      ceil(match_plays / shards / per_stream), match_plays / shards, ceil(target_coplays / per_stream), target_coplays
  }
}
