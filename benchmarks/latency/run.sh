#!/bin/sh
# End-to-end alert latency (see benchmarks/latency/README.md). Arguments:
#   [seconds per rate] [rates] [delivery:checkpoint-interval:watermark-interval[:buffer-timeout],...]
#   e.g. benchmarks/latency/run.sh 10 100,300,1000 exactly-once:10s:200ms,low-latency:2s:20ms:10ms
# Builds the job (samples' classpath: cep-runtime, the KRaft broker, Redis, GreenMail) and the
# alert service's jar in one reactor build (nothing is installed into ~/.m2), then runs
# LatencyBenchmark.java, compiled to benchmarks/latency/target/classes.
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -ntp -pl samples,alert-service -am package -DskipTests
mkdir -p benchmarks/latency/target
# Compiled to a directory, not run from source: the job graph holds a class of the harness (the
# source-reading map), which Flink's class loader must find on the class path.
CP="samples/target/classes:$(cat samples/target/classpath.txt)"
javac -nowarn -d benchmarks/latency/target/classes -cp "$CP" benchmarks/latency/LatencyBenchmark.java
exec java -Xmx1500m -cp "benchmarks/latency/target/classes:$CP" \
  LatencyBenchmark "$@" 2>benchmarks/latency/target/flink.log
