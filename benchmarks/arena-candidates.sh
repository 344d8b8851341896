#!/usr/bin/env bash
# The prototype runs behind the arena's constants (issue 22; docs/design.md, "The arena"): each candidate in a JVM of
# its own, on the core hash-order map, through ArenaCandidates. Needs the prototype build (commit b996cd8),
# whose Arena and EntrySlab read their constants from the bucketmap.arena.* system properties (page shift, alignment
# shift, compaction trigger, movable share, victim share, handles per write); the chosen values are constants since.
#   benchmarks/arena-candidates.sh <results.csv> <entries> layout|compaction
set -euo pipefail
results="$1"
entries="$2"
section="$3"
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
flags="-Xms4g -Xmx4g -XX:+UseG1GC"
run() {
  local label="$1" workload="$2"
  shift 2
  # shellcheck disable=SC2086 # the flags are words
  java $flags "$@" -cp "$jar" io.bucketmap.bench.ArenaCandidates "$workload" "$entries" "$results" "$label"
}
for round in 1 2; do
  for workload in COUNTS EVENTS; do
    if [[ "$section" == layout ]]; then
      for align in 0 2 3; do
        run "page=2^18 align=$((1 << align))" "$workload" -Dbucketmap.arena.alignmentShift=$align
      done
      for page in 16 19 20; do
        run "page=2^$page align=4" "$workload" -Dbucketmap.arena.pageShift=$page
      done
    else
      for policy in 25/75/8 12/88/8 25/75/4 50/50/8; do
        IFS=/ read -r trigger movable share <<< "$policy"
        run "trigger=$trigger movable=$movable victims=1/$share handles=16" "$workload" \
          -Dbucketmap.arena.triggerPercent="$trigger" -Dbucketmap.arena.movablePercent="$movable" \
          -Dbucketmap.arena.victimShare="$share"
      done
      for handles in 8 32; do
        run "trigger=25 movable=75 victims=1/8 handles=$handles" "$workload" -Dbucketmap.arena.handlesPerWrite=$handles
      done
      run "trigger=25 movable=75 victims=1/8 handles=16 page=2^19" "$workload" -Dbucketmap.arena.pageShift=19
    fi
  done
done
