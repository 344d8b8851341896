#!/usr/bin/env bash
# The risk-event example end to end: builds the project, starts a Kafka broker in-process on loopback, runs the
# topology with exactly-once processing against a generator, and prints a reconciliation of the outcome topic.
# Exit code 0 only if every event got exactly one outcome. Options: ./run-example.sh --help
set -euo pipefail
cd "$(dirname "$0")"
for arg in "$@"; do
  case "$arg" in
    *[[:space:]]*) echo "arguments must not contain spaces: '$arg'" >&2; exit 2 ;;
  esac
done
echo "[run-example] building the project with Maven (quietly); the first run also downloads its dependencies, each" \
  "one listed as it arrives; the job's own lines follow the build"
# Maven's own log at warn, except the transfer listener: silent builds, visible downloads (-q would hide both).
exec ./mvnw -B -Prisk-example -pl topology-examples -am package -Dmaven.test.skip=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.maven.cli.transfer.Slf4jMavenTransferListener=info \
  -Dexample.args="$*"
