#!/usr/bin/env bash
# Builds the benchmarks and runs them side by side, then writes benchmarks/results/<date>.md and, beside it, the
# growth-latency chart <date>-growth.png.
#   benchmarks/run.sh quick   100k and 1M entries, short JMH runs: 10 to 11 minutes on 2 cores
#   benchmarks/run.sh full    adds 10M entries, longer runs and 2 forks: hours, and a 10 GB heap
set -euo pipefail

profile="${1:-quick}"
cd "$(dirname "$0")/.."

case "$profile" in
  quick)
    sizes=100000,1000000
    jmh_options=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    # the key operations; getHitAndRead (a get whose caller then reads the value) is left to the full profile and to
    # arena-targets.sh, where it shows what the arena's copy-out costs against stores that hand out their own arrays
    operations='StoreOperationsBenchmark\.(getHit|getMiss|putNew|update|delete)$'
    # Scans take milliseconds each, so a second holds enough of them. Left to the full profile: the core maps'
    # sweeps, and range scans on the hash-order store, which walk the whole store (about one sweep's time each).
    scan_jmh_options=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
    sweep_sizes=100000,1000000
    sweep_contenders=BUCKETMAP_STORE_ORDERED,BUCKETMAP_STORE_HASH,HASHMAP,IN_MEMORY_STORE,ROCKSDB_STORE
    range_contenders=BUCKETMAP_STORE_ORDERED,IN_MEMORY_STORE,ROCKSDB_STORE
    # end to end: most of a run's time is the driver's own; 60k events still reach the steady state (30k pending)
    e2e_events=60000
    growth_entries=1000000
    heap="-Xms2g -Xmx2g"
    report_name="$(date -u +%F)"
    ;;
  full)
    sizes=100000,1000000,10000000
    jmh_options=(-f 2 -wi 5 -w 2s -i 5 -r 2s)
    operations=StoreOperationsBenchmark
    scan_jmh_options=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
    sweep_sizes=100000,1000000,10000000
    sweep_contenders=BUCKETMAP_STORE_ORDERED,BUCKETMAP_STORE_HASH,BUCKETMAP_ORDERED,BUCKETMAP_HASH,HASHMAP,IN_MEMORY_STORE,ROCKSDB_STORE
    range_contenders=BUCKETMAP_STORE_ORDERED,BUCKETMAP_STORE_HASH,BUCKETMAP_ORDERED,IN_MEMORY_STORE,ROCKSDB_STORE
    e2e_events=200000
    growth_entries=10000000
    heap="-Xms10g -Xmx10g"
    # Eviction at 10M pending entries, 1% expiring per punctuation (issue 12): about 3.5 minutes on 2 cores.
    eviction_entries=10000000
    report_name="$(date -u +%F)-full"
    ;;
  *)
    echo "usage: $0 quick|full" >&2
    exit 2
    ;;
esac

# The same collector and a fixed, pre-touched heap for every JVM, so no contender pays for heap resizing or for page
# faults: without -XX:+AlwaysPreTouch, on the build machine, G1's young regions faulted their pages in again and again
# and every contender's scans ran 3-8x slower after the first second (benchmarks/results/2026-12-07-arena.md).
jvm_flags="$heap -XX:+UseG1GC -XX:+AlwaysPreTouch"
heap_entries=1000000
memory_contenders=(BUCKETMAP_STORE_ORDERED BUCKETMAP_STORE_HASH BUCKETMAP_ORDERED BUCKETMAP_HASH HASHMAP IN_MEMORY_STORE)
# Range scans at 1M entries (issue 6, item 5); the restore replays a changelog of 1M records (item 6).
range_size=1000000
restore_records=1000000
# The Kafka Streams stores: the ones with a changelog to restore from and a place in a topology.
store_contenders=(BUCKETMAP_STORE_ORDERED BUCKETMAP_STORE_HASH IN_MEMORY_STORE ROCKSDB_STORE)
eviction_variants=(DEADLINE_INDEX STORE_SCAN)

run_dir="benchmarks/results/$report_name"
report="benchmarks/results/$report_name.md"
chart="benchmarks/results/$report_name-growth.png"
jar=benchmarks/target/benchmarks.jar
rm -rf "$run_dir"
mkdir -p "$run_dir"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

./mvnw -B -q -Pbenchmarks-jar -pl benchmarks -am package -DskipTests

java -jar "$jar" "$operations" -p size="$sizes" "${jmh_options[@]}" -jvmArgs "$jvm_flags" \
  -rf csv -rff "$run_dir/jmh.csv" | tee "$run_dir/jmh.log"

for contender in "${memory_contenders[@]}"; do
  # shellcheck disable=SC2086 # the flags are words
  java $jvm_flags -cp "$jar" io.bucketmap.bench.GrowthLatency "$contender" "$growth_entries" "$run_dir/growth.csv"
done
# ResultsReport links the chart by this name: <run directory>-growth.png.
java -Djava.awt.headless=true -cp "$jar" io.bucketmap.bench.GrowthChart "$run_dir" "$chart"
for contender in "${memory_contenders[@]}"; do
  # shellcheck disable=SC2086
  java $jvm_flags -cp "$jar" io.bucketmap.bench.RetainedHeap "$contender" "$heap_entries" "$run_dir/heap.csv"
done

java -jar "$jar" ScanDeleteBenchmark -p size="$sweep_sizes" -p contender="$sweep_contenders" \
  "${scan_jmh_options[@]}" -jvmArgs "$jvm_flags" -rf csv -rff "$run_dir/jmh-scan-delete.csv" \
  | tee "$run_dir/jmh-scan-delete.log"
java -jar "$jar" RangeScanBenchmark -p size="$range_size" -p contender="$range_contenders" \
  "${scan_jmh_options[@]}" -jvmArgs "$jvm_flags" -rf csv -rff "$run_dir/jmh-range.csv" \
  | tee "$run_dir/jmh-range.log"
for contender in "${store_contenders[@]}"; do
  # shellcheck disable=SC2086
  java $jvm_flags -cp "$jar" io.bucketmap.bench.RestoreRate "$contender" "$restore_records" "$run_dir/restore.csv"
done
for contender in "${store_contenders[@]}"; do
  for variant in "${eviction_variants[@]}"; do
    # shellcheck disable=SC2086
    java $jvm_flags -cp "$jar" io.bucketmap.bench.EndToEndThroughput "$contender" "$variant" "$e2e_events" \
      "$run_dir/end-to-end.csv"
  done
done
# Full profile only. ResultsReport does not read these files: EvictionAtScale writes its own Markdown section. The heap
# is the one results/2026-11-28-eviction-at-scale.md was measured with (3 GB live at 10M; it sets how often G1 collects).
# Pre-touched: without it, each time G1 grows the young generation into heap never used before, the punctuation running
# then pays the page faults (sweeps of 2.3-3.1 s against 1.6 s, two or three in fifteen; none with it, 2026-11-28).
if [[ -n "${eviction_entries:-}" ]]; then
  java -Xms16g -Xmx16g -XX:+UseG1GC -XX:+AlwaysPreTouch -cp "$jar" io.bucketmap.bench.EvictionAtScale BUCKETMAP_STORE_ORDERED \
    "$eviction_entries" "$run_dir/eviction-at-scale.md"
  # What the machine allows (memory latency, restore into plain maps): the floors issue 12's misses are judged against.
  java -Xms3g -Xmx3g -XX:+UseG1GC -cp "$jar" io.bucketmap.bench.HardwareFloors "$restore_records" \
    > "$run_dir/hardware-floors.md"
fi

{
  echo "## Machine and JVM"
  echo
  echo "- date (UTC): $(date -u '+%F %T'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- store benchmarks/src benchmarks/pom.xml || echo ' plus uncommitted changes')"
  echo "- cores (nproc): $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); memory: $(free -g | awk '/Mem:/ {print $2}') GB"
  echo "- JVM flags: every JVM \`$jvm_flags\`"
  echo "- JMH: \`${jmh_options[*]}\`, mode average time; sizes $sizes; growth to $growth_entries entries; heap at $heap_entries entries"
  echo "- scans: JMH \`${scan_jmh_options[*]}\`, mode average time; sweeps at $sweep_sizes entries; ranges at $range_size; restore of $restore_records changelog records; end to end $e2e_events events"
  echo "- load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); run took $(( ($(date +%s) - started) / 60 )) min"
  echo
  echo '```'
  java -version 2>&1
  echo '```'
} > "$run_dir/machine.md"

java -cp "$jar" io.bucketmap.bench.ResultsReport "$run_dir" "$report" "$profile"
echo "wrote $report and $chart"
