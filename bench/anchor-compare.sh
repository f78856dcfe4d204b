#!/usr/bin/env bash
# Runs the PyTorch functorch anchor (torch_anchor.py, 1 thread, f32 and f64) and our JMH
# TransformBench (W1-W9, f32 and f64, 1 thread) in one run, then prints the ratio table (ms/call
# ours, ms/call PyTorch, speedup = PyTorch / ours) and writes it to $BENCH_OUT/anchor.md.
#
#   bench/anchor-compare.sh [JMH options...]     default: -wi 5 -i 3 -f 1 -w 2s -r 1s -t 1
#
# Needs /usr/bin/python3 with python3-torch (only this script does; CI never runs it). The anchor
# script is $TORCH_ANCHOR (default /work/shared/bench/torch_anchor.py). About 12 minutes on a
# loaded 2-core machine. The load average is recorded before, between and after the runs:
# compare ratios from one run, and rerun when the load was high.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${BENCH_OUT:-$root/bench/results}"
anchor="${TORCH_ANCHOR:-/work/shared/bench/torch_anchor.py}"
python="${PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

load() { echo "$1: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" | tee -a "$work/load.txt" >&2; }

load "start"
for dt in f32 f64; do
  echo "anchor-compare: torch_anchor.py 1 $dt" >&2
  "$python" "$anchor" 1 "$dt" | tee "$work/torch-$dt.txt" >&2
done
load "after PyTorch"
args=(-wi 5 -i 3 -f 1 -w 2s -r 1s -t 1)
if [[ $# -gt 0 ]]; then
  args=("$@")
fi
BENCH_OUT="$work" "$root/bench/run-jmh.sh" "${args[@]}" 'TransformBench' >&2
load "after JMH"
"$python" "$root/bench/anchor_table.py" "$work" | tee "$out/anchor.md"
