# Sourced (from the repository's root) by the benchmarks that run the rule-family pack:
# benchmarks/vigil-run/run.sh, startup.sh and benchmarks/live-kafka/run.sh.

# pack_dir PER_FAMILY EVENTS: where the pack of SEED (default 42) and WINDOWS (family, the default,
# or own) lives.
pack_dir() {
  local suffix=""
  [[ ${WINDOWS:-family} == own ]] && suffix=-own-windows
  echo "target/vigil-run-bench/$1-$2-${SEED:-42}$suffix"
}

# ensure_pack DIR PER_FAMILY EVENTS SEED [WINDOWS]: writes the pack and its events into DIR (RulePack.java)
# unless an earlier run left them there.
ensure_pack() {
  if [[ ! -f "$1/events.jsonl" ]]; then
    java benchmarks/vigil-run/RulePack.java "$@"
  fi
}

# The JDK packages Flink's serializers reach into, opened as ./vigil opens them.
# shellcheck source=launcher/java-opens.sh
source launcher/java-opens.sh
OPENS=("${JAVA_OPENS[@]}")
