#!/usr/bin/env bash
# Runs DecisionBenchmark (rule-compiler/src/test/java/io/vigil/compiler/benchmark): a DRL decision
# against the equivalent pattern rule's condition, a stateful session, and building a rule set from
# its text (a hot reload). Extra arguments go to JMH, e.g. `benchmarks/drools/run.sh -wi 2 -i 3`.
# Builds with the reactor only (nothing is installed into ~/.m2).
set -euo pipefail
cd "$(dirname "$0")/../.."
# In the reactor, so that the modules it depends on come from their own builds, not a local install.
mvn -B -q -pl rule-compiler -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt
# From the module's directory, as its tests run: the sample streams are read from ../samples.
cd rule-compiler
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.openjdk.jmh.Main 'io.vigil.compiler.benchmark.DecisionBenchmark' "$@"
