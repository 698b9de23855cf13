#!/usr/bin/env bash
# Runs the rule-compiler JMH benchmarks (sources: rule-compiler/src/test/java/io/vigil/compiler/benchmark).
# Extra arguments go to JMH, e.g. `benchmarks/compiler/run.sh -f 1 -wi 2 -i 3`, or a benchmark's
# name: `benchmarks/compiler/run.sh ValueDecodingBenchmark`.
set -euo pipefail
cd "$(dirname "$0")/../.."
# In the reactor, so that the modules it depends on come from their own builds, not a local install.
mvn -B -q -pl rule-compiler -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt
cd rule-compiler
if (($# == 0)); then
  set -- 'io.vigil.compiler.benchmark.*'
fi
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.openjdk.jmh.Main "$@"
