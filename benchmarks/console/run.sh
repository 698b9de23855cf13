#!/bin/sh
# One command: compiles the console and what it uses in the reactor (no install), computes its
# test classpath, then runs TestRunBenchmark.java (single-file source, Java 17 launcher).
# Arguments: [warm-up runs] [measured runs].
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -ntp -pl console -am compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/benchmark.classpath
CP="console/target/classes:rule-dsl/target/classes:rule-compiler/target/classes:cep-runtime/target/classes"
exec java -Xmx1g \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.math=ALL-UNNAMED \
  -cp "$CP:$(cat console/target/benchmark.classpath)" \
  benchmarks/console/TestRunBenchmark.java "$@"
