#!/usr/bin/env bash
# Builds the engine and the tests module, then runs the JMH benchmarks single-threaded with the
# project's JVM flags (conf/jvm-flags: --add-modules=jdk.incubator.vector, ...).
#
#   bench/run-jmh.sh [JMH options...]        e.g.  bench/run-jmh.sh -wi 3 -i 5 -f 1 GemmBench
#
# Defaults: -wi 3 -i 5 -f 1 -w 1s -r 1s -t 1 and every benchmark of io.sparkfunc.bench (~8 minutes).
# Results go to $BENCH_OUT (default tests/target/jmh/): jmh.json (JMH's JSON) and jmh.md (a table
# with GFLOP/s or GB/s and % of peak). The build runs no tests and installs nothing into ~/.m2.
# Machines here are shared: compare numbers from one run, and rerun when load was high (uptime).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${BENCH_OUT:-$root/tests/target/jmh}"
cpfile="$root/tests/target/bench-classpath.txt"

echo "run-jmh: building engine and tests with Maven" >&2
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl tests -am -DskipTests \
  package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >&2

read -ra flags < "$root/conf/jvm-flags"
args=(-wi 3 -i 5 -f 1 -w 1s -r 1s -t 1)
if [[ $# -gt 0 ]]; then
  args=("$@")
fi
echo "run-jmh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); writing $out" >&2
exec java "${flags[@]}" -cp "$root/tests/target/classes:$(cat "$cpfile")" \
  io.sparkfunc.bench.RunBenchmarks "$out" "${args[@]}"
