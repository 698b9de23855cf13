#!/usr/bin/env bash
# `vigil run` against the static baseline on the same file: one Flink CEP.pattern operator per rule
# (StaticPackRun, from the test sources), fed from the file's lines through the same decoding, e.g.
#   benchmarks/vigil-run/static.sh 20 100000            # 100 rules, 100k events
#   WINDOWS=own benchmarks/vigil-run/static.sh 20 30000 # every rule a window of its own
#   RULES=/tmp/sample-rules benchmarks/vigil-run/static.sh 20 100000  # other rules, the pack's events
# Prints each side's whole-process wall and CPU seconds and alert count, the ratio of the walls,
# and whether both gave the same alert ids. RUNS passes alternate the two.
set -euo pipefail
cd "$(dirname "$0")/../.."
PER_FAMILY=${1:-20}
EVENTS=${2:-100000}
RUNS=${RUNS:-1}
SEED=${SEED:-42}
WINDOWS=${WINDOWS:-family}
# shellcheck source=benchmarks/vigil-run/common.sh
source benchmarks/vigil-run/common.sh
DIR=${DIR:-$(pack_dir "$PER_FAMILY" "$EVENTS")}
mvn -B -ntp -q -pl cep-runtime -am package -DskipTests
mvn -B -ntp -q -pl cep-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/target/static-classpath.txt" -Dmdep.includeScope=test
ensure_pack "$DIR" "$PER_FAMILY" "$EVENTS" "$SEED" "$WINDOWS"
RULES=${RULES:-$DIR/pack}
# shellcheck source=launcher/run-options.sh
source launcher/run-options.sh
JAVA_OPTS=${JAVA_OPTS-$(VIGIL_JAVA_OPTS='' run_java_options --events "$DIR/events.jsonl")}
CLASSPATH_STATIC="cep-runtime/target/test-classes:cep-runtime/target/classes:$(cat target/static-classpath.txt)"
timed() { # command...: runs it, prints its wall and CPU seconds
  /usr/bin/time -o "$DIR/time.txt" -f '%e %U %S' "$@" >/dev/null 2>&1
  read -r wall user sys <<<"$(tail -1 "$DIR/time.txt")"
  echo "$wall $(echo "$user + $sys" | bc)"
}
for ((i = 1; i <= RUNS; i++)); do
  # shellcheck disable=SC2086 # the options are word-split on purpose
  read -r vwall vcpu <<<"$(timed java $JAVA_OPTS "${OPENS[@]}" -jar cep-runtime/target/vigil.jar run \
    --rules "$RULES" --events "$DIR/events.jsonl" --out "$DIR/alerts-vigil.jsonl")"
  read -r swall scpu <<<"$(timed java -Xmx6g -XX:+UseParallelGC "${OPENS[@]}" -cp "$CLASSPATH_STATIC" \
    io.vigil.runtime.benchmark.StaticPackRun "$RULES" "$DIR/events.jsonl" "$DIR/alerts-static.txt")"
  echo "vigil run  wall=${vwall}s cpu=${vcpu}s alerts=$(wc -l <"$DIR/alerts-vigil.jsonl")"
  echo "static CEP wall=${swall}s cpu=${scpu}s alerts=$(wc -l <"$DIR/alerts-static.txt")"
  echo "static / vigil run: $(echo "scale=1; $swall / $vwall" | bc)x the wall"
  if cmp -s <(grep -o '"alertId":"[0-9a-f]*"' "$DIR/alerts-vigil.jsonl" | cut -d'"' -f4 | sort) \
    <(sort "$DIR/alerts-static.txt"); then
    echo "alerts: same ids"
  else
    echo "alerts: DIFFERENT ids"
  fi
done
