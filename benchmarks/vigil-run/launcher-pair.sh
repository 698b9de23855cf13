#!/usr/bin/env bash
# `./vigil run` on Java 17 (VIGIL_JAVA=java: its class data archive) against `./vigil run` on the
# JDK the launcher chooses (launcher/java-select.sh: 25 or later where the machine has one, with
# its ahead-of-time cache), in turn, on the rule-family pack (see README.md), e.g.
#   benchmarks/vigil-run/launcher-pair.sh 5 20 500000     # five pairs, 100 rules, 500 000 events
# Each run is the whole process, timed from the shell; the first pair may include the recording of
# either file (a new build). Prints wall and CPU seconds per run, the job's time from --timings,
# the alerts, and whether the two runs gave the same alert ids.
set -euo pipefail
cd "$(dirname "$0")/../.."
PAIRS=${1:-5}
PER_FAMILY=${2:-20}
EVENTS=${3:-500000}
SEED=${SEED:-42}
DIR=${DIR:-target/vigil-run-bench/$PER_FAMILY-$EVENTS-$SEED}
# shellcheck source=benchmarks/vigil-run/common.sh
source benchmarks/vigil-run/common.sh
ensure_pack "$DIR" "$PER_FAMILY" "$EVENTS" "$SEED"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

ids() { grep -o '"alertId":"[0-9a-f]*"' "$1" | sort; }

for ((pair = 1; pair <= PAIRS; pair++)); do
  for jdk in java-17 chosen; do
    if [[ $jdk == java-17 ]]; then export VIGIL_JAVA=java; else unset VIGIL_JAVA; fi
    /usr/bin/time -o "$OUT/time" -f '%e %U %S' ./vigil run --rules "$DIR/pack" \
      --events "$DIR/events.jsonl" --out "$OUT/$jdk.jsonl" --timings 2>"$OUT/err" >/dev/null
    read -r wall user sys <"$OUT/time"
    job=$(grep -o 'job ran [0-9]*' "$OUT/err" | grep -o '[0-9]*' || echo '?')
    printf '%-8s wall %6.2f s  cpu %6.2f s  job %6s ms  alerts %s\n' "$jdk" "$wall" \
      "$(echo "$user + $sys" | bc)" "$job" "$(wc -l <"$OUT/$jdk.jsonl")"
  done
  if cmp -s <(ids "$OUT/java-17.jsonl") <(ids "$OUT/chosen.jsonl"); then
    echo "pair $pair: same alert ids"
  else
    echo "pair $pair: DIFFERENT alert ids"
  fi
done
