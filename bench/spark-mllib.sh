#!/usr/bin/env bash
# The Spark anchor (BENCHMARKS.md section 4): rows/s of sparkfunc.dp_clipped_grad_sum over synthetic
# rows x 64 features in local[2] (softmax 10 classes, mlp 64-128-10), beside one iteration of MLlib's
# multinomial LogisticRegression on the same cached data, in the same run.
#
#   bench/spark-mllib.sh [rows=1000000] [reps=2] [mlp-rows=rows]   (~15 minutes on 2 cores)
#
# Builds spark-connector's test classes (MLlib is a test-scope dependency: never in the user jar),
# then runs io.sparkfunc.spark.bench.MllibAnchorBench with conf/jvm-flags and -Xmx6g. Holds the
# machine-wide /tmp/jmh.lock (as JMH does) while measuring, waiting for it. Writes the table to
# $BENCH_OUT (default bench/results/spark-mllib-HH-MM.md). Extra JVM options: $BENCH_JAVA_OPTS
# (e.g. -XX:StartFlightRecording=filename=spark.jfr,settings=profile).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${BENCH_OUT:-$root/bench/results/spark-mllib-$(date -u +%H-%M).md}"
cpfile="$root/spark-connector/target/bench-classpath.txt"

echo "spark-mllib: building spark-connector test classes with Maven" >&2
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl spark-connector -am -DskipTests \
  test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2

cp="$root/spark-connector/target/test-classes:$root/spark-connector/target/classes"
for m in engine arrow-tensor udfs; do cp+=":$root/$m/target/classes"; done
cp+=":$(cat "$cpfile")"
read -ra flags < "$root/conf/jvm-flags"
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 exec java "${flags[@]}" -Xmx6g ${BENCH_JAVA_OPTS:-} \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$cp" io.sparkfunc.spark.bench.MllibAnchorBench "${1:-1000000}" "${2:-2}" "${3:-${1:-1000000}}" "$out"
