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
exec mvn -B -q -Prisk-example -pl topology-examples -am package -Dmaven.test.skip=true -Dexample.args="$*"
