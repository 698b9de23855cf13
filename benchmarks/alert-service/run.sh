#!/bin/sh
# One command: builds the service jar, then runs AlertServiceBenchmark.java (single-file source,
# Java 17 launcher) on alert-service's test classpath. Arguments: [alerts] [warm-up alerts].
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -pl alert-service package -DskipTests
mvn -B -q -pl alert-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/benchmark.classpath
exec java -Xmx1g -cp "$(cat alert-service/target/benchmark.classpath)" \
  benchmarks/alert-service/AlertServiceBenchmark.java "$@"
