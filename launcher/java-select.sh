# Sourced by ./vigil. Which JDK runs the Vigil CLI.
#
# The jar is built for Java 17 and runs on any later JDK. On a JDK of version 25 or later the
# launcher keeps an ahead-of-time cache instead of a class data archive (launcher/class-archive.sh):
# besides the classes, loaded and linked, it holds the method profiles of the run that made it, so
# the JIT compiles the matcher's path from the first events on instead of profiling it again, and a
# run of 500 000 events ends in about 0.8 of the time it takes on Java 17 with its archive; such a
# JDK also packs object headers into 8 bytes (-XX:+UseCompactObjectHeaders, launcher/run-options.sh).
# So the CLI runs on such a JDK where the machine has one, and on `java` where it has not.
# Figures: docs/benchmarks.md (`vigil run`).

# The oldest JDK whose ahead-of-time cache holds method profiles.
AOT_CACHE_MIN_JAVA=25

# java_feature_version JAVA — the feature version (17, 25, ...) of the JDK whose java binary is
# JAVA, from the JDK's release file (reading it costs nothing; starting the JVM to ask would cost
# a tenth of a second); nothing where there is no such file.
java_feature_version() {
  local bin home line
  bin=$(command -v "$1" 2>/dev/null) || return 0
  bin=$(readlink -f "$bin" 2>/dev/null) || return 0
  home=$(dirname "$(dirname "$bin")")
  [[ -r $home/release ]] || return 0
  line=$(grep -m1 '^JAVA_VERSION=' "$home/release" 2>/dev/null) || return 0
  line=${line#JAVA_VERSION=}
  line=${line#\"}
  line=${line%%[.\"+-]*}
  if [[ $line =~ ^[0-9]+$ ]]; then
    echo "$line"
  fi
}

# cli_java — the java binary the CLI runs on: VIGIL_JAVA when set; else the first JDK of version
# AOT_CACHE_MIN_JAVA or later among JAVA_HOME's, the `java` on PATH and, newest first, the JDKs
# in the directories of VIGIL_JDK_DIRS (colon-separated; /usr/lib/jvm, where Debian's and
# Temurin's packages put them); else `java`.
cli_java() {
  if [[ -n ${VIGIL_JAVA:-} ]]; then
    echo "$VIGIL_JAVA"
    return
  fi
  local candidate version best="" best_version=0 dir
  local preferred=()
  [[ -n ${JAVA_HOME:-} ]] && preferred+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && preferred+=("$(command -v java)")
  for candidate in ${preferred[@]+"${preferred[@]}"}; do
    version=$(java_feature_version "$candidate")
    if [[ -x $candidate && -n $version ]] && ((version >= AOT_CACHE_MIN_JAVA)); then
      echo "$candidate"
      return
    fi
  done
  local dirs=()
  IFS=: read -ra dirs <<<"${VIGIL_JDK_DIRS-/usr/lib/jvm}"
  for dir in ${dirs[@]+"${dirs[@]}"}; do
    for candidate in "$dir"/*/bin/java; do
      [[ -x $candidate ]] || continue
      version=$(java_feature_version "$candidate")
      if [[ -n $version ]] && ((version >= AOT_CACHE_MIN_JAVA && version > best_version)); then
        best=$candidate
        best_version=$version
      fi
    done
  done
  echo "${best:-java}"
}

# cli_java_options JAVA — the options every command on JAVA gets: on a JDK of version 25 or later,
# object headers of 8 bytes instead of 12 (-XX:+UseCompactObjectHeaders), which shrinks the
# matcher's many small objects by a tenth to a fifth. Every command gets them, so that the cache
# one command made (launcher/class-archive.sh) is one the others can use: the JVM refuses a cache
# made with other headers.
cli_java_options() {
  local version
  version=$(java_feature_version "$1")
  if [[ -n $version ]] && ((version >= AOT_CACHE_MIN_JAVA)); then
    echo "-XX:+UseCompactObjectHeaders"
  fi
}
