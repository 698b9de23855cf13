#!/usr/bin/env bash
# The steady-state rate of `vigil run` on the rule-family pack (see README.md), e.g.
#   benchmarks/vigil-run/steady.sh 20      # 100 rules
#   benchmarks/vigil-run/steady.sh 200     # 1 000 rules
# Runs the pack's SHORT-event file (500 000) and its LONG-event file (2 000 000, whose first SHORT
# events are the short file's) in turn, RUNS times (3), the options `./vigil run` chooses for each
# file, and prints every run's wall time, then the steady state:
#   (LONG - SHORT) / (median wall of LONG - median wall of SHORT) events/s,
# what the long file's further events cost once start-up and the JIT's warm-up are paid.
# PARALLELISM=2: two readers, each matching its own keys. VIA=launcher: through `./vigil run`
# itself (the JDK it chooses, its cache or archive, made by a first run that is not counted;
# VIGIL_JAVA chooses another), not `java -jar`.
set -euo pipefail
cd "$(dirname "$0")/../.."
PER_FAMILY=${1:-20}
SHORT=${SHORT:-500000}
LONG=${LONG:-2000000}
RUNS=${RUNS:-3}
PARALLELISM=${PARALLELISM:-1}
SEED=${SEED:-42}
VIA=${VIA:-jar}
WINDOWS=${WINDOWS:-family}
# shellcheck source=benchmarks/vigil-run/common.sh
source benchmarks/vigil-run/common.sh
# shellcheck source=launcher/run-options.sh
source launcher/run-options.sh
JAR=${JAR:-cep-runtime/target/vigil.jar}
[[ -n ${JAR_BUILT:-} ]] || mvn -B -ntp -q -pl cep-runtime -am package -DskipTests
for n in "$SHORT" "$LONG"; do
  ensure_pack "$(pack_dir "$PER_FAMILY" "$n")" "$PER_FAMILY" "$n" "$SEED" "$WINDOWS"
done
one() { # events: prints the run's wall seconds
  local dir opts t
  dir=$(pack_dir "$PER_FAMILY" "$1")
  opts=$(VIGIL_JAVA_OPTS='' run_java_options --events "$dir/events.jsonl")
  # shellcheck disable=SC2086 # the options are word-split on purpose
  local command=(java $opts "${OPENS[@]}" -jar "$JAR")
  [[ $VIA == launcher ]] && command=(./vigil)
  /usr/bin/time -o "$dir/time.txt" -f '%e' "${command[@]}" run \
    --rules "$dir/pack" --events "$dir/events.jsonl" --parallelism "$PARALLELISM" \
    --out "$dir/alerts-steady.jsonl" \
    2>/dev/null >/dev/null
  t=$(tail -1 "$dir/time.txt")
  echo "$1 events: wall=${t}s alerts=$(wc -l <"$dir/alerts-steady.jsonl")" >&2
  echo "$t"
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# Through the launcher, a jar the build above rewrote makes the first run record the launcher's
# cache or archive (about 10 s more): that run is not counted.
if [[ $VIA == launcher ]]; then
  echo "not counted (the launcher's cache or archive):" >&2
  one "$SHORT" >/dev/null
fi
short_walls=()
long_walls=()
for ((i = 1; i <= RUNS; i++)); do
  short_walls+=("$(one "$SHORT")")
  long_walls+=("$(one "$LONG")")
done
s=$(printf '%s\n' "${short_walls[@]}" | median)
l=$(printf '%s\n' "${long_walls[@]}" | median)
echo "median wall: ${s}s for $SHORT events, ${l}s for $LONG events"
echo "steady state: $(echo "($LONG - $SHORT) / ($l - $s)" | bc) events/s"
