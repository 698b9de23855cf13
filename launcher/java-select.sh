# Sourced by ./vigil. Which JDK runs the Vigil CLI.
#
# The jar is built for Java 17 and runs on any later JDK. On a JDK of version 25 or later the
# launcher keeps an ahead-of-time cache instead of a class data archive (launcher/class-archive.sh):
# besides the classes, loaded and linked, it holds the method profiles of the run that made it, so
# the JIT compiles the matcher's path from the first events on instead of profiling it again, and a
# run of 500 000 events ends in about 0.87 of the time it takes on Java 17 with its archive; such a
# JDK also packs object headers into 8 bytes (cli_java_options below). So the CLI runs on such a
# JDK where the machine has one, and on `java` where it has not.
# Figures: docs/benchmarks.md (`vigil run`).

# The oldest JDK whose ahead-of-time cache holds method profiles.
AOT_CACHE_MIN_JAVA=25

# java_feature_version JAVA — the feature version (17, 25, ...) of the JDK whose java binary is
# JAVA, from the JDK's release file; nothing where there is no such file. It runs on every command,
# so it starts no process where it need not (each costs milliseconds): no JVM to ask, and a link is
# resolved only where the release file is not beside the binary's directory.
java_feature_version() {
  java_feature_version_of "$1"
  [[ -n $JAVA_FEATURE_VERSION ]] && echo "$JAVA_FEATURE_VERSION"
  return 0
}

# java_feature_version_of JAVA — java_feature_version into JAVA_FEATURE_VERSION, in this shell.
java_feature_version_of() {
  local bin=$1 release line version=""
  JAVA_FEATURE_VERSION=""
  if [[ $bin != */* ]]; then
    bin=$(type -P "$bin") || return 0
  fi
  release=${bin%/*/*}/release
  if [[ ! -r $release ]]; then
    bin=$(readlink -f "$bin" 2>/dev/null) || return 0
    release=${bin%/*/*}/release
    [[ -r $release ]] || return 0
  fi
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == JAVA_VERSION=* ]]; then
      version=${line#JAVA_VERSION=}
      version=${version#\"}
      version=${version%%[.\"+-]*}
      break
    fi
  done <"$release"
  if [[ $version =~ ^[0-9]+$ ]]; then
    JAVA_FEATURE_VERSION=$version
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
  candidate=$(type -P java) && preferred+=("$candidate")
  for candidate in ${preferred[@]+"${preferred[@]}"}; do
    java_feature_version_of "$candidate"
    version=$JAVA_FEATURE_VERSION
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
      java_feature_version_of "$candidate"
      version=$JAVA_FEATURE_VERSION
      if [[ -n $version ]] && ((version >= AOT_CACHE_MIN_JAVA && version > best_version)); then
        best=$candidate
        best_version=$version
      fi
    done
  done
  echo "${best:-java}"
}

# cli_java_options JAVA — the options every command on JAVA gets. On a JDK of version 25 or later:
# - object headers of 8 bytes instead of 12 (-XX:+UseCompactObjectHeaders), which shrinks the
#   matcher's many small objects by a tenth to a fifth. Every command gets them, so that the cache
#   one command made (launcher/class-archive.sh) is one the others can use: the JVM refuses a cache
#   made with other headers.
# - sun.misc.Unsafe's memory access allowed without a warning
#   (--sun-misc-unsafe-memory-access=allow): Drools' XStream uses it, and the JVM would otherwise
#   print four lines of warning on stderr at the first DRL rule set, which nobody running Vigil
#   can act on.
cli_java_options() {
  java_feature_version_of "$1"
  if [[ -n $JAVA_FEATURE_VERSION ]] && ((JAVA_FEATURE_VERSION >= AOT_CACHE_MIN_JAVA)); then
    echo "-XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow"
  fi
}
