#!/usr/bin/env bash
# Arrow against heap per-sample gradients (BENCHMARKS.md §3) timed in one JVM at a time, all four
# calls interleaved (io.sparkfunc.bench.ArrowRatio), in $JVMS JVMs (default 3) per case, under the
# bench lock; then per case the median and range over JVMs of each ratio. About 3 minutes.
#
#   bench/arrow-ratio.sh [model:d ...]        default: linear:16 linear:64 mlp:16 mlp:64
#
# System properties pass through $RATIO_OPTS, e.g. RATIO_OPTS="-Drounds=60 -DwarmNs=20000000000".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cpfile="$root/tests/target/bench-classpath.txt"
cases=("$@")
if [[ ${#cases[@]} -eq 0 ]]; then
  cases=(linear:16 linear:64 mlp:16 mlp:64)
fi
echo "arrow-ratio: building engine and tests with Maven" >&2
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl tests -am -DskipTests \
  package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >&2
read -ra flags < "$root/conf/jvm-flags"
read -ra extra <<< "${RATIO_OPTS:-}"
cp="$root/tests/target/classes:$(cat "$cpfile")"
run() {
  echo "arrow-ratio: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  for c in "${cases[@]}"; do
    for ((j = 0; j < ${JVMS:-3}; j++)); do
      java "${flags[@]}" -Xmx2g \
        "${extra[@]}" -cp "$cp" io.sparkfunc.bench.ArrowRatio "${c%%:*}" "${c##*:}" 2>/dev/null \
        | grep '^[a-z]* d='
    done
  done
  echo "arrow-ratio: load after $(cut -d' ' -f1-3 /proc/loadavg)"
}
out="$(flock /tmp/sparkfunc-bench.lock bash -c "$(declare -p flags extra cases); cp='$cp'; root='$root'; JVMS='${JVMS:-3}'; $(declare -f run); run")"
echo "$out"
echo "$out" | python3 -c '
import re, sys, statistics as st
rows = {}
for line in sys.stdin:
    m = re.match(r"(\w+) d=(\d+) (.*)", line)
    if m:
        kv = dict(p.split("=") for p in m.group(3).split())
        rows.setdefault((m.group(1), int(m.group(2))), []).append({k: float(v) for k, v in kv.items()})
print("| model | d | heap | arrow | heapCompute | arrowCompute | arrow / heap (range) | arrowCompute / heapCompute (range) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for (model, d), rs in sorted(rows.items()):
    med = lambda k: st.median(r[k] for r in rs)
    rng = lambda k: "%.2f-%.2f" % (min(r[k] for r in rs), max(r[k] for r in rs))
    print("| %s | %d | %.0f | %.0f | %.0f | %.0f | **%.2f** (%s) | **%.2f** (%s) |" % (model, d,
        med("heap"), med("arrow"), med("heapCompute"), med("arrowCompute"),
        med("arrow/heap"), rng("arrow/heap"), med("arrowCompute/heapCompute"),
        rng("arrowCompute/heapCompute")))
'
