#!/usr/bin/env bash
# Runs the rule-compiler JMH benchmarks (sources: rule-compiler/src/test/java/io/vigil/compiler/benchmark).
# Extra arguments go to JMH, e.g. `benchmarks/compiler/run.sh -f 1 -wi 2 -i 3`.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl rule-dsl,rule-compiler install -DskipTests
mvn -B -q -pl rule-compiler test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
cd rule-compiler
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.openjdk.jmh.Main 'io.vigil.compiler.benchmark.*' "$@"
