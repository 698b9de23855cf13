#!/bin/sh
# One command: builds the service jar, then runs AlertServiceBenchmark.java (single-file source,
# Java 17 launcher) on alert-service's test classpath. Arguments: [alerts] [warm-up alerts].
set -e
cd "$(dirname "$0")/../.."
# One reactor build: the test classpath holds test-support (its in-JVM Kafka broker), which is
# not installed into ~/.m2 and is found only within the same build.
mvn -B -q -pl test-support,alert-service package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath
exec java -Xmx1g -cp "$(cat alert-service/target/benchmark.classpath)" \
  benchmarks/alert-service/AlertServiceBenchmark.java "$@"
