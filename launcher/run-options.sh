# Sourced by ./vigil. The JVM options of a `vigil run` (a bounded run is a batch job) and of a
# `vigil job`.
#
# Both inline less than the JVM's defaults (-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000): C2
# compiles over a thousand methods of Flink, the NFA and the rules, and on two cores its threads
# would take a third of the CPU. The live job keeps the JVM's collector (G1), whose pauses its
# latency was measured with. A `vigil run` also gets:
# - The throughput collector (-XX:+UseParallelGC), unless VIGIL_JAVA_OPTS chooses one (the JVM
#   refuses two).
# - An events file under 32 MB (about 170 000 events of the benchmark's pack) is mostly start-up:
#   C1 only (-XX:TieredStopAtLevel=1). A larger one keeps C2, inlining less, and compiles with C2
#   only methods called ten times as often as the JVM's thresholds say (-XX:Tier4…Threshold):
#   the embedded cluster's start, the rules' compilation and the job's submission run each method
#   thousands of times, once; the matcher's path runs them millions of times. C2 then no longer
#   spends the second core on start-up code while the start-up waits for it.
# - A larger file also gets a fixed young generation of 1 GB in a heap committed at 3 GB from the
#   start (-Xmn1g -Xms3g), when the JVM's default maximum heap (a quarter of the memory it sees,
#   container limits included) is at least 4 GB and VIGIL_JAVA_OPTS sizes no heap: left to
#   itself, the collector grows the young generation past 1.5 GB while the matcher's state builds
#   up, which costs page faults and cache misses at every collection and a full collection or two.
# - Transparent huge pages for the heap and the code cache (-XX:+UseTransparentHugePages) where the
#   kernel gives them on request only ("[madvise]"): the kernel then zeroes and maps the heap 2 MB
#   at a time instead of 4 kB, and the matcher's state misses the TLB less. Under "[always]" the
#   JVM has them anyway; under "[never]" the option would only print a warning.
# VIGIL_JAVA_OPTS comes last, so its options win.
# Figures: docs/benchmarks.md (`vigil run`; the live job on Kafka).

# shellcheck source=launcher/run-args.sh
source "$(dirname "${BASH_SOURCE[0]}")/run-args.sh"

# The inlining of both (see above).
LESS_INLINING="-XX:FreqInlineSize=100 -XX:InlineSmallCode=1000"

# A bounded run's C2 thresholds: ten times the JVM's (see above).
LATER_C2="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
LATER_C2+=" -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"

# small_events_file ARGS... — whether `run`'s --events file is under 32 MB.
small_events_file() {
  local file
  file=$(run_events_file "$@")
  [[ -f $file ]] && (($(stat -c %s "$file") < 32 * 1024 * 1024))
}

# default_max_heap_bytes — the maximum heap the JVM gives itself here (VIGIL_DEFAULT_MAX_HEAP
# when set, which the launcher's tests use to stand for a machine). On Linux it is worked out as
# the JVM works it out, a quarter of the memory it sees (the container's limit, if lower), without
# starting a JVM to ask it (that took 0.2 s of every run); elsewhere, or where JAVA_TOOL_OPTIONS
# or JDK_JAVA_OPTIONS may change it, the JVM (CLI_JAVA, `java` when unset) is asked.
default_max_heap_bytes() {
  local memory_kb limit file
  if [[ -n ${VIGIL_DEFAULT_MAX_HEAP:-} ]]; then
    echo "$VIGIL_DEFAULT_MAX_HEAP"
    return
  fi
  if [[ -z ${JAVA_TOOL_OPTIONS:-}${JDK_JAVA_OPTIONS:-} && -r /proc/meminfo ]]; then
    memory_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
    if [[ $memory_kb =~ ^[0-9]+$ ]]; then
      limit=$((memory_kb * 1024))
      # cgroup v2, then v1; "max" or a huge number: no limit.
      for file in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
        if [[ -r $file ]]; then
          local cgroup
          read -r cgroup <"$file" || cgroup=""
          if [[ $cgroup =~ ^[0-9]{1,18}$ ]] && ((cgroup < limit)); then
            limit=$cgroup
          fi
          break
        fi
      done
      echo $((limit / 4))
      return
    fi
  fi
  "${CLI_JAVA:-java}" -XX:+UseParallelGC -XX:+PrintFlagsFinal -version 2>/dev/null |
    awk '$2 == "MaxHeapSize" { print $4 }'
}

# thp_mode — the kernel's transparent huge page setting, e.g. "always [madvise] never" (VIGIL_THP_MODE
# when set, which the launcher's tests use to stand for a machine); nothing where there is none.
thp_mode() {
  local setting=/sys/kernel/mm/transparent_hugepage/enabled
  if [[ -n ${VIGIL_THP_MODE:-} ]]; then
    echo "$VIGIL_THP_MODE"
  elif [[ -r $setting ]]; then
    cat "$setting"
  fi
}

# run_java_options ARGS... — prints the JVM options for `vigil run ARGS...`, VIGIL_JAVA_OPTS last.
run_java_options() {
  local gc="-XX:+UseParallelGC" jit="$LESS_INLINING $LATER_C2" heap="" pages=""
  local max
  if [[ ${VIGIL_JAVA_OPTS:-} =~ -XX:\+Use[A-Za-z0-9]+GC ]]; then
    gc=""
  fi
  if small_events_file "$@"; then
    jit="-XX:TieredStopAtLevel=1"
  elif ! [[ ${VIGIL_JAVA_OPTS:-} =~ -Xm[nsx]|HeapSize|NewSize|NewRatio|RAMPercentage|MaxRAM ]]; then
    # A JVM that cannot tell its heap leaves it to itself.
    max=$(default_max_heap_bytes 2>/dev/null) || max=0
    [[ $max =~ ^[0-9]+$ ]] || max=0
    if ((max >= 4 * 1024 * 1024 * 1024)); then
      heap="-Xmn1g -Xms3g"
    fi
  fi
  if [[ $(thp_mode 2>/dev/null) == *"[madvise]"* ]] &&
    ! [[ ${VIGIL_JAVA_OPTS:-} =~ TransparentHugePages|LargePages ]]; then
    pages="-XX:+UseTransparentHugePages"
  fi
  echo "$gc $jit $heap $pages ${VIGIL_JAVA_OPTS:-}"
}

# job_java_options — prints the JVM options for `vigil job`, VIGIL_JAVA_OPTS last.
job_java_options() {
  echo "$LESS_INLINING ${VIGIL_JAVA_OPTS:-}"
}
