#!/usr/bin/env bash
# Runs ArrowPerSampleGradBench (BENCHMARKS.md §3) and prints bench/arrow-summary.py's table of
# medians with per-fork ranges. Each timing run takes the bench lock and about 4 minutes.
#
#   bench/arrow-bench.sh [e2e|compute|all] [JMH options...]
#
# e2e (default): arrow and heap, column to column; compute: arrowCompute and heapCompute, the
# transform alone; all: both (about 8 minutes). JMH options default to -f 3 -wi 3 -i 4 -w 1s
# -r 1s -t 1; an option given replaces its default, others (e.g. -p d=16) pass through. Results
# go to $BENCH_OUT (default tests/target/jmh/): jmh.json, jmh.md, summary.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${BENCH_OUT:-$root/tests/target/jmh}"
which="e2e"
if [[ $# -gt 0 && "$1" =~ ^(e2e|compute|all)$ ]]; then
  which="$1"
  shift
fi
case "$which" in
  e2e) regex='ArrowPerSampleGradBench\.(arrow|heap)$' ;;
  compute) regex='ArrowPerSampleGradBench\.(arrowCompute|heapCompute)$' ;;
  all) regex='ArrowPerSampleGradBench\.' ;;
esac
defaults=(-f 3 -wi 3 -i 4 -w 1s -r 1s -t 1)
opts=()
for ((k = 0; k < ${#defaults[@]}; k += 2)); do
  if [[ ! " $* " =~ " ${defaults[k]} " ]]; then
    opts+=("${defaults[k]}" "${defaults[k + 1]}")
  fi
done
export BENCH_OUT="$out"
flock /tmp/sparkfunc-bench.lock "$root/bench/run-jmh.sh" "${opts[@]}" "$@" "$regex"
"$root/bench/arrow-summary.py" "$out/jmh.json" | tee "$out/summary.md"
