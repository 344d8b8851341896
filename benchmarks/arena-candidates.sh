#!/usr/bin/env bash
# The prototype runs behind the arena's constants (issue 22; docs/design.md, "The arena"): each candidate page size,
# address alignment and compaction trigger in a JVM of its own, on the core hash-order map, through ArenaCandidates.
# Needs the prototype build, which read the bucketmap.arena.* system properties.
#   benchmarks/arena-candidates.sh <results.csv> [entries]
set -euo pipefail
results="$1"
entries="${2:-1000000}"
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
    for align in 0 2 3; do
      run "page=2^18 align=$((1 << align)) trigger=25/75 handles=16" "$workload" -Dbucketmap.arena.alignmentShift=$align
    done
    for page in 16 20; do
      run "page=2^$page align=4 trigger=25/75 handles=16" "$workload" -Dbucketmap.arena.pageShift=$page
    done
    for trigger in 25/75 25/50 50/50 12/88; do
      for handles in 8 16 32; do
        run "page=2^18 align=4 trigger=$trigger handles=$handles" "$workload" \
          -Dbucketmap.arena.triggerPercent="${trigger%/*}" -Dbucketmap.arena.movablePercent="${trigger#*/}" \
          -Dbucketmap.arena.handlesPerWrite=$handles
      done
    done
  done
done
