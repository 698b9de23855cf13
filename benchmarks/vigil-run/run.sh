#!/usr/bin/env bash
# `vigil run` end to end from the file's bytes, on a pack of rule families (see README.md), e.g.
#   benchmarks/vigil-run/run.sh 20 500000            # 100 rules, 500k events
#   benchmarks/vigil-run/run.sh 20 1000              # start-up: 100 rules, 1000 events
#   BASELINE_JAR=/tmp/old-vigil.jar benchmarks/vigil-run/run.sh 20 50000   # old build vs new, alternating
#   WINDOWS=own benchmarks/vigil-run/run.sh 20 500000  # every rule a window of its own
# Prints one line per run: which jar, which rules, wall seconds, user+sys seconds, the alert count,
# and whether the current build's alerts are the baseline's (PARALLELISM=2: two readers of the whole file, each matching its own keys).
# JVM options, word-split: JAVA_OPTS for the current build (unset: those `./vigil run` chooses for
# the events file, launcher/run-options.sh; empty: the JVM's defaults), BASELINE_JAVA_OPTS for the
# baseline (unset: JAVA_OPTS).
set -euo pipefail
cd "$(dirname "$0")/../.."
PER_FAMILY=${1:-20}
EVENTS=${2:-500000}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
WINDOWS=${WINDOWS:-family}
# shellcheck source=benchmarks/vigil-run/common.sh
source benchmarks/vigil-run/common.sh
DIR=${DIR:-$(pack_dir "$PER_FAMILY" "$EVENTS")}
mvn -B -ntp -q -pl cep-runtime -am package -DskipTests
ensure_pack "$DIR" "$PER_FAMILY" "$EVENTS" "$SEED" "$WINDOWS"
PARALLELISM=${PARALLELISM:-1}
# shellcheck source=launcher/run-options.sh
source launcher/run-options.sh
JAVA_OPTS=${JAVA_OPTS-$(VIGIL_JAVA_OPTS='' run_java_options --events "$DIR/events.jsonl")}
BASELINE_JAVA_OPTS=${BASELINE_JAVA_OPTS-$JAVA_OPTS}
one() { # jar label rules-dir
  local out="$DIR/alerts-$2.jsonl" t opts
  opts=$JAVA_OPTS
  [[ $2 == baseline ]] && opts=$BASELINE_JAVA_OPTS
  # time writes its own file: the run's stderr (silenced) would otherwise take time's report along.
  # shellcheck disable=SC2086 # the options are word-split on purpose
  /usr/bin/time -o "$DIR/time.txt" -f '%e %U %S' java $opts "${OPENS[@]}" -jar "$1" run --rules "$3" \
    --events "$DIR/events.jsonl" --parallelism "$PARALLELISM" --out "$out" 2>/dev/null >/dev/null
  t=$(tail -1 "$DIR/time.txt")
  read -r wall user sys <<<"$t"
  echo "$2 $(basename "$3") wall=${wall}s cpu=$(echo "$user + $sys" | bc)s alerts=$(wc -l <"$out")"
}
for ((i = 1; i <= RUNS; i++)); do
  if [[ -n ${BASELINE_JAR:-} ]]; then one "$BASELINE_JAR" baseline "$DIR/pack"; fi
  one cep-runtime/target/vigil.jar current "$DIR/pack"
  if [[ -n ${BASELINE_JAR:-} ]]; then
    # Alert ids hash rule, key and matched events: equal sets mean the same matches.
    if cmp -s <(grep -o '"alertId":"[0-9a-f]*"' "$DIR/alerts-baseline.jsonl" | sort) \
      <(grep -o '"alertId":"[0-9a-f]*"' "$DIR/alerts-current.jsonl" | sort); then
      echo "alerts: same ids as the baseline"
    else
      echo "alerts: DIFFERENT from the baseline"
    fi
  fi
  one cep-runtime/target/vigil.jar current "$DIR/never"
done
