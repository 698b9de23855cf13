#!/usr/bin/env bash
# Start-up of `vigil run` as a user runs it, the old build against the current one, in turn:
#   BASELINE_JAR=/tmp/old/vigil.jar benchmarks/vigil-run/startup.sh 20 1000
# Both run as the launcher runs the CLI (launcher/cli.sh: the JDK it chooses, the JVM options of
# launcher/run-options.sh, its cache or archive), each file recorded by a first run that is not
# measured: the current build as `./vigil run`, the baseline beside its own jar (keep its
# flink-rpc-akka.jar beside it).
# Prints per run: wall and user+sys seconds (/usr/bin/time), the alert count, whether the alert
# ids are the baseline's, and the load average; read ratios of the same pass only. SKIP_BUILD=1
# uses the jar already in cep-runtime/target.
set -euo pipefail
cd "$(dirname "$0")/../.."
PER_FAMILY=${1:-20}
EVENTS=${2:-1000}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
DIR=${DIR:-target/vigil-run-bench/$PER_FAMILY-$EVENTS-$SEED}
: "${BASELINE_JAR:?set BASELINE_JAR to the vigil.jar of the old build}"
[[ -n ${SKIP_BUILD:-} ]] || mvn -B -ntp -q -pl cep-runtime -am package -DskipTests
# shellcheck source=benchmarks/vigil-run/common.sh
source benchmarks/vigil-run/common.sh
ensure_pack "$DIR" "$PER_FAMILY" "$EVENTS" "$SEED"
ARGS=(run --rules "$DIR/pack" --events "$DIR/events.jsonl")
# shellcheck source=launcher/cli.sh
source launcher/cli.sh
baseline() { # the old jar as ./vigil runs the current one
  (
    JAVA_OPENS=("${OPENS[@]}")
    run_cli "$BASELINE_JAR" "$@"
  )
}
./vigil "${ARGS[@]}" --out "$DIR/alerts-warmup.jsonl" 2>/dev/null # records the class archive
baseline "${ARGS[@]}" --out "$DIR/alerts-warmup.jsonl" 2>/dev/null # and the baseline's
one() { # label command... (a command or a function: timed by the shell, children included)
  local label=$1 wall user sys TIMEFORMAT='%R %U %S'
  shift
  { time "$@" --out "$DIR/alerts-$label.jsonl" 2>/dev/null >/dev/null; } 2>"$DIR/time.txt"
  read -r wall user sys <"$DIR/time.txt"
  echo "$label wall=${wall}s cpu=$(echo "$user + $sys" | bc)s alerts=$(wc -l <"$DIR/alerts-$label.jsonl") load=$(cut -d' ' -f1 /proc/loadavg)"
}
for ((i = 1; i <= RUNS; i++)); do
  one baseline baseline "${ARGS[@]}"
  one current ./vigil "${ARGS[@]}"
  if cmp -s <(grep -o '"alertId":"[0-9a-f]*"' "$DIR/alerts-baseline.jsonl" | sort) \
    <(grep -o '"alertId":"[0-9a-f]*"' "$DIR/alerts-current.jsonl" | sort); then
    echo "alerts: same ids as the baseline"
  else
    echo "alerts: DIFFERENT from the baseline"
  fi
done
