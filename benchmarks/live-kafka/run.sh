#!/usr/bin/env bash
# The live job on Kafka beside `vigil run`, on the rule-family pack of benchmarks/vigil-run (see
# README.md), e.g.
#   benchmarks/live-kafka/run.sh 20 100000      # 100 rules, 100 000 events
#   DELIVERY=exactly-once benchmarks/live-kafka/run.sh 20 100000
set -euo pipefail
cd "$(dirname "$0")/../.."
PER_FAMILY=${1:-20}
EVENTS=${2:-100000}
SEED=${SEED:-42}
DIR=${DIR:-target/vigil-run-bench/$PER_FAMILY-$EVENTS-$SEED}
# The job's jar, and the samples' class path for the harness (the child-process KRaft broker).
mvn -B -ntp -q -pl samples -am package -DskipTests
# shellcheck source=benchmarks/vigil-run/common.sh
source benchmarks/vigil-run/common.sh
ensure_pack "$DIR" "$PER_FAMILY" "$EVENTS" "$SEED"
CP="samples/target/classes:$(cat samples/target/classpath.txt)"
# `vigil run` and `vigil job` get the JVM options `./vigil` would choose for them (RUN_JAVA_OPTS and
# JOB_JAVA_OPTS, unless set); `vigil deploy` the JVM's defaults, as `./vigil` starts it.
# shellcheck source=launcher/run-options.sh
source launcher/run-options.sh
RUN_JAVA_OPTS=${RUN_JAVA_OPTS-$(VIGIL_JAVA_OPTS='' run_java_options --events "$DIR/events.jsonl")}
JOB_JAVA_OPTS=${JOB_JAVA_OPTS-$(VIGIL_JAVA_OPTS='' job_java_options)}
export RUN_JAVA_OPTS JOB_JAVA_OPTS
# The harness starts `vigil run` and `vigil job` on the JVM it runs on: HARNESS_JAVA, `java` when
# unset (e.g. HARNESS_JAVA=$(source launcher/java-select.sh && cli_java) for the JDK ./vigil
# chooses; add `cli_java_options`' options to RUN_JAVA_OPTS and JOB_JAVA_OPTS as ./vigil does).
exec "${HARNESS_JAVA:-java}" -cp "$CP" benchmarks/live-kafka/LiveKafkaBenchmark.java "$DIR" \
  cep-runtime/target/vigil.jar "${OPENS[@]}"
