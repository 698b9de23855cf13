# Sourced by ./vigil. The JVM options of a `vigil run`: a bounded run is a batch job.
#
# - The throughput collector (-XX:+UseParallelGC), unless VIGIL_JAVA_OPTS chooses one (the JVM
#   refuses two).
# - An events file under 32 MB (about 170 000 events of the benchmark's pack) is mostly start-up:
#   C1 only (-XX:TieredStopAtLevel=1). A larger one keeps C2, inlining less
#   (-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000): C2 compiles over a thousand methods of
#   Flink, the NFA and the rules, and on two cores its threads would take a third of the CPU.
# - VIGIL_JAVA_OPTS comes last, so its options win.
# Figures: docs/benchmarks.md (`vigil run`).

# small_events_file ARGS... — whether `run`'s --events file is under 32 MB.
small_events_file() {
  local file=""
  while (($#)); do
    case $1 in
      --events) file=${2:-} && break ;;
      --events=*) file=${1#--events=} && break ;;
    esac
    shift
  done
  [[ -f $file ]] && (($(stat -c %s "$file") < 32 * 1024 * 1024))
}

# run_java_options ARGS... — prints the JVM options for `vigil run ARGS...`, VIGIL_JAVA_OPTS last.
run_java_options() {
  local gc="-XX:+UseParallelGC" jit="-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000"
  if [[ ${VIGIL_JAVA_OPTS:-} =~ -XX:\+Use[A-Za-z0-9]+GC ]]; then
    gc=""
  fi
  if small_events_file "$@"; then
    jit="-XX:TieredStopAtLevel=1"
  fi
  echo "$gc $jit ${VIGIL_JAVA_OPTS:-}"
}
