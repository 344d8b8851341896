#!/usr/bin/env bash
# Issue 22's targets, side by side in one run: this build's stores against Kafka's in-memory store and against the
# stores of a baseline build (the code before the arena), each contender in a JVM of its own, alternating, repeated.
#   benchmarks/arena-targets.sh <baseline benchmarks.jar> <results dir> <section>...
# Sections: memory (StateMemory: counts 5M, events 3M, 6 GB heap), gc (SteadyUpdates: 5M counts, 20M updates),
# restore (RestoreRate: 1M records, random and ascending keys), operations (JMH: get, put of a new key, update, delete
# at 1M; range of 1,000; sweep deleting 10%), all.
# Every JVM pre-touches its heap (-XX:+AlwaysPreTouch): on the build machine, without it, G1's young regions fault
# their pages in again and again, and scans of every contender ran 3-8x slower after the first second (a range of
# 1,000 keys: 120-130 us pre-touched, 850-1,150 us not, same jar).
set -euo pipefail
base_jar="$(realpath "$1")"
results="$2"
shift 2
sections=("$@")
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
mkdir -p "$results"
rounds="${ROUNDS:-2}"
wants() {
  local s
  for s in "${sections[@]}"; do
    [[ "$s" == "$1" || "$s" == all ]] && return 0
  done
  return 1
}
# A contender is "<jar>:<Contender>"; the baseline's bucket-map stores are labelled BASE_<Contender> in the results.
contenders=("$jar:IN_MEMORY_STORE" "$jar:BUCKETMAP_STORE_ORDERED" "$jar:BUCKETMAP_STORE_HASH"
  "$base_jar:BUCKETMAP_STORE_ORDERED" "$base_jar:BUCKETMAP_STORE_HASH")
label() {
  [[ "${1%%:*}" == "$base_jar" ]] && echo "BASE_${1##*:}" || echo "${1##*:}"
}
# Runs <main class> <args...> for contender $1 with JVM flags $2, relabelling the baseline's rows; "@" in the
# arguments stands for the results file (the last argument if there is none).
run() {
  local contender="$1" flags="$2" main="$3" csv="$4"
  shift 4
  local out args=() arg placed=false
  out="$(mktemp -u)"
  for arg in "$@"; do
    if [[ "$arg" == "@" ]]; then args+=("$out"); placed=true; else args+=("$arg"); fi
  done
  $placed || args+=("$out")
  # shellcheck disable=SC2086 # the flags are words
  java $flags -cp "${contender%%:*}" "io.bucketmap.bench.$main" "${contender##*:}" "${args[@]}"
  if [[ ! -f "$csv" ]]; then head -1 "$out" > "$csv"; fi
  tail -n +2 "$out" | sed "s/^${contender##*:},/$(label "$contender"),/" >> "$csv"
  rm -f "$out"
}
# JMH: the per-operation targets, this build and the baseline alternating, each with Kafka's in-memory store beside it.
jmh() {
  local which="$1" round="$2" contenders="$3"
  local j="$jar"
  [[ "$which" == base ]] && j="$base_jar"
  java -jar "$j" StoreOperationsBenchmark -p size=1000000 -p contender="$contenders" -f 1 -wi 3 -w 1s -i 5 -r 1s \
    -jvmArgs "-Xms3g -Xmx3g -XX:+UseG1GC -XX:+AlwaysPreTouch" -rf csv -rff "$results/jmh-ops-$which-$round.csv" > "$results/jmh-ops-$which-$round.log"
  java -jar "$j" RangeScanBenchmark -p size=1000000 -p contender=BUCKETMAP_STORE_ORDERED,IN_MEMORY_STORE -f 1 -wi 2 -w 1s \
    -i 3 -r 1s -jvmArgs "-Xms3g -Xmx3g -XX:+UseG1GC -XX:+AlwaysPreTouch" -rf csv -rff "$results/jmh-range-$which-$round.csv" \
    > "$results/jmh-range-$which-$round.log"
  java -jar "$j" ScanDeleteBenchmark -p size=1000000 -p contender="$contenders" -f 1 -wi 1 -w 1s -i 2 -r 1s \
    -jvmArgs "-Xms3g -Xmx3g -XX:+UseG1GC -XX:+AlwaysPreTouch" -rf csv -rff "$results/jmh-sweep-$which-$round.csv" \
    > "$results/jmh-sweep-$which-$round.log"
}
if wants operations; then
  for round in $(seq "$rounds"); do
    jmh new "$round" BUCKETMAP_STORE_ORDERED,BUCKETMAP_STORE_HASH,IN_MEMORY_STORE
    jmh base "$round" BUCKETMAP_STORE_ORDERED,BUCKETMAP_STORE_HASH,IN_MEMORY_STORE
  done
fi
for round in $(seq "$rounds"); do
  for contender in "${contenders[@]}"; do
    if wants memory; then
      run "$contender" "-Xms6g -Xmx6g -XX:+UseG1GC -XX:+AlwaysPreTouch" StateMemory "$results/memory.csv" COUNTS 5000000
      run "$contender" "-Xms6g -Xmx6g -XX:+UseG1GC -XX:+AlwaysPreTouch" StateMemory "$results/memory.csv" EVENTS 3000000
    fi
    if wants gc; then
      run "$contender" "-Xms6g -Xmx6g -XX:+UseG1GC -XX:+AlwaysPreTouch" SteadyUpdates "$results/gc.csv" COUNTS 5000000 20000000
    fi
    if wants restore; then
      run "$contender" "-Xms3g -Xmx3g -XX:+UseG1GC -XX:+AlwaysPreTouch" RestoreRate "$results/restore.csv" 1000000 @ RANDOM
      run "$contender" "-Xms3g -Xmx3g -XX:+UseG1GC -XX:+AlwaysPreTouch" RestoreRate "$results/restore.csv" 1000000 @ ASCENDING
    fi
  done
done
