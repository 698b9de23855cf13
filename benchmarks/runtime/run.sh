#!/usr/bin/env bash
# Vigil operator vs one static Flink CEP operator per rule, same workload, same run.
# Arguments: RULES EVENTS KEYS PARALLELISM (defaults 100 200000 100000 1), e.g.
#   benchmarks/runtime/run.sh 10 500000
# Sources: cep-runtime/src/test/java/io/vigil/runtime/benchmark/RuntimeBenchmark.java
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl cep-runtime -am install -DskipTests
mvn -B -q -pl cep-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cd cep-runtime
exec java -Xmx2g -XX:+UseParallelGC \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  -Dlog4j2.configurationFile=src/main/resources/log4j2.xml \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.vigil.runtime.benchmark.RuntimeBenchmark "$@"
