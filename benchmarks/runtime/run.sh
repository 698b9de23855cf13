#!/usr/bin/env bash
# The runtime benchmark (see benchmarks/runtime/README.md), e.g.
#   benchmarks/runtime/run.sh throughput fraud 100 200000 100000   # Vigil vs static CEP, same run
#   benchmarks/runtime/run.sh throughput iot 1000 200000 100000 vigil-only
#   benchmarks/runtime/run.sh throughput fraud 100 1000000 100000 vigil-only --parallelism=2
#   benchmarks/runtime/run.sh throughput fraud 1000 1500000 100000 vigil-only --warm-up=500000
#   benchmarks/runtime/run.sh throughput fraud 100 200000 100000 vigil-only --state-backend=rocksdb
#   benchmarks/runtime/run.sh latency fraud 100 20000 60 100000 25  # latency, hot reload, state
# Sources: cep-runtime/src/test/java/io/vigil/runtime/benchmark/
set -euo pipefail
cd "$(dirname "$0")/../.."
# In the reactor, so that the modules it depends on come from their own builds, not a local install.
mvn -B -q -pl cep-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cd cep-runtime
exec java -Xmx2g -XX:+UseParallelGC \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.vigil.runtime.benchmark.RuntimeBenchmark "$@"
