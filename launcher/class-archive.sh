# Sourced by ./vigil. Runs the Vigil CLI jar with the classes it loads kept from an earlier run.
#
# The first `vigil run` of an events file after a build records what it loaded (Flink, Pekko, the
# rule compiler: about 12 000 classes) into a file beside the jar; every later command maps them
# from the file instead of reading, parsing and verifying them again. Other commands, and a run
# that only prints its help or version, record nothing: they load a fraction of the classes, and
# the file they left would serve every later run. On Java 17 to 24 the file is a class data
# archive (AppCDS, `vigil.<key>.jsa`). On a JDK of version 25 or later (launcher/java-select.sh) it
# is an ahead-of-time cache (`vigil.<key>.aot`), which also holds the classes linked and the method
# profiles of the run that made it: the JIT then compiles the matcher's path from the start. A run
# of a small events file runs on C1 only (launcher/run-options.sh), which records no profiles: its
# cache is `vigil.<key>.c1.aot`, which the first run with C2 replaces with a profiled one. Making a
# cache takes a run about 10 s longer (the JVM writes down what it saw, then a second JVM assembles
# the cache), once per build.
#
# The file's name carries what it was made for (the jar's size and time, the java binary and its
# time), so a rebuilt jar or another JDK makes a new one, and the old ones of its kind (archive or
# cache) are deleted; the JVM itself also refuses a file that does not match its jar or its
# options, and then runs without it.
# A missing, stale or damaged file never fails a command. VIGIL_CLASS_ARCHIVE=off runs without one.

# shellcheck source=launcher/java-select.sh
source "$(dirname "${BASH_SOURCE[0]}")/java-select.sh"
# shellcheck source=launcher/run-args.sh
source "$(dirname "${BASH_SOURCE[0]}")/run-args.sh"

# run_with_class_archive JAR ARGS... — replaces the shell (exec) unless it records a file.
# The JVM: CLI_JAVA (a java binary; `java` when unset). Its options: VIGIL_JAVA_OPTS (word-split)
# and the array JAVA_OPENS, when set.
run_with_class_archive() {
  local jar=$1
  shift
  local java=${CLI_JAVA:-java}
  local java_bin key
  local opts=(${VIGIL_JAVA_OPTS:-} ${JAVA_OPENS[@]+"${JAVA_OPENS[@]}"})
  if [[ ${VIGIL_CLASS_ARCHIVE:-on} == off ]]; then
    exec "$java" "${opts[@]}" -jar "$jar" "$@"
  fi
  java_bin=$(readlink -f "$(command -v "$java")")
  key=$(printf '%s\n' "$(stat -c '%s %Y' "$jar")" "$java_bin" "$(stat -c '%Y' "$java_bin")" \
    | cksum | cut -d' ' -f1)
  java_feature_version_of "$java_bin"
  if [[ -n $JAVA_FEATURE_VERSION ]] && ((JAVA_FEATURE_VERSION >= AOT_CACHE_MIN_JAVA)); then
    run_with_aot_cache "$java" "$jar" "${jar%.jar}.$key" "$@"
  else
    run_with_cds_archive "$java" "$jar" "${jar%.jar}.$key.jsa" "$@"
  fi
}

# run_with_cds_archive JAVA JAR ARCHIVE ARGS... — Java 17 to 24 (see above), with the options
# (opts) of run_with_class_archive, its caller.
run_with_cds_archive() {
  local java=$1 jar=$2 archive=$3
  shift 3
  local tmp status
  # The JVM's notes about the archive go to stdout by default, where alerts go: silence them.
  if [[ -f $archive ]]; then
    exec "$java" "${opts[@]}" -XX:SharedArchiveFile="$archive" '-Xlog:cds*=off' -jar "$jar" "$@"
  fi
  if ! runs_a_job "$@" || [[ ! -w $(dirname "$jar") ]]; then
    exec "$java" "${opts[@]}" -jar "$jar" "$@"
  fi
  # Only a successful run leaves an archive (an early error loads a fraction of the classes).
  tmp="$archive.$$.tmp"
  status=0
  "$java" "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" '-Xlog:cds*=off' -jar "$jar" "$@" \
    || status=$?
  if [[ $status -eq 0 && -s $tmp ]]; then
    rm -f "${jar%.jar}".*.jsa
    mv -f "$tmp" "$archive"
  else
    rm -f "$tmp"
  fi
  return "$status"
}

# run_with_aot_cache JAVA JAR BASE ARGS... — Java 25 and later (see above), with the options
# (opts) of run_with_class_archive, its caller: BASE.aot holds profiles, BASE.c1.aot classes only.
run_with_aot_cache() {
  local java=$1 jar=$2 base=$3
  shift 3
  local profiled="$base.aot" classes="$base.c1.aot" cache="" target conf tmp status
  # A run with C2 wants a cache with profiles; any other command takes what there is.
  local wants_profiles=false
  if [[ ${1:-} == run ]] && ! runs_c1_only; then
    wants_profiles=true
  fi
  if [[ -f $profiled ]]; then
    cache=$profiled
  elif [[ -f $classes && $wants_profiles == false ]]; then
    cache=$classes
  fi
  # The JVM's notes about the cache go to stdout by default, where alerts go: silence them.
  if [[ -n $cache ]]; then
    exec "$java" "${opts[@]}" -XX:AOTCache="$cache" '-Xlog:aot*=off,cds*=off' -jar "$jar" "$@"
  fi
  if ! runs_a_job "$@" || [[ ! -w $(dirname "$jar") ]]; then
    exec "$java" "${opts[@]}" -jar "$jar" "$@"
  fi
  target=$classes
  [[ $wants_profiles == true ]] && target=$profiled
  conf="$target.$$.conf"
  tmp="$target.$$.tmp"
  status=0
  # Recording ends with a note the JVM prints on its own output: stderr keeps stdout the run's.
  "$java" "${opts[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$conf" \
    -XX:+DisplayVMOutputToStderr '-Xlog:aot*=off,cds*=off' -jar "$jar" "$@" || status=$?
  # Only a successful run leaves a cache (an early error loads a fraction of the classes).
  if [[ $status -eq 0 && -s $conf ]] &&
    "$java" "${opts[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$conf" -XX:AOTCache="$tmp" \
      '-Xlog:aot*=off,cds*=off' -jar "$jar" >/dev/null 2>&1 && [[ -s $tmp ]]; then
    rm -f "${jar%.jar}".*.aot
    mv -f "$tmp" "$target"
  fi
  rm -f "$conf" "$tmp"
  return "$status"
}

# runs_c1_only — whether the options (opts) stop the JIT at C1, the last such option winning.
runs_c1_only() {
  local option level=""
  for option in ${opts[@]+"${opts[@]}"}; do
    [[ $option == -XX:TieredStopAtLevel=* ]] && level=${option#-XX:TieredStopAtLevel=}
  done
  [[ -n $level && $level != 4 ]]
}
