# Sourced by ./vigil. Runs the Vigil CLI jar with JDK class data sharing (AppCDS).
#
# The first `vigil run` after a build records the classes it loaded (Flink, Pekko, the rule
# compiler: about 12 000) into an archive beside the jar; every later command maps them from the
# archive instead of reading, parsing and verifying them again. The archive's name carries what it
# was made for (the jar's size and time, the java binary and its time), so a rebuilt jar or another
# JDK makes a new one and the old one is deleted; the JVM itself also refuses an archive that does
# not match its jar, and then runs without it. A missing, stale or damaged archive never fails a
# command. VIGIL_CLASS_ARCHIVE=off runs without an archive.

# run_with_class_archive JAR ARGS... — replaces the shell (exec) unless it records an archive.
# Java options: VIGIL_JAVA_OPTS (word-split) and the array JAVA_OPENS, when set.
run_with_class_archive() {
  local jar=$1
  shift
  local java_bin key archive tmp status
  local opts=(${VIGIL_JAVA_OPTS:-} ${JAVA_OPENS[@]+"${JAVA_OPENS[@]}"})
  if [[ ${VIGIL_CLASS_ARCHIVE:-on} == off ]]; then
    exec java "${opts[@]}" -jar "$jar" "$@"
  fi
  java_bin=$(readlink -f "$(command -v java)")
  key=$(printf '%s\n' "$(stat -c '%s %Y' "$jar")" "$java_bin" "$(stat -c '%Y' "$java_bin")" \
    | cksum | cut -d' ' -f1)
  archive="${jar%.jar}.$key.jsa"
  # The JVM's notes about the archive go to stdout by default, where alerts go: silence them.
  if [[ -f $archive ]]; then
    exec java "${opts[@]}" -XX:SharedArchiveFile="$archive" '-Xlog:cds*=off' -jar "$jar" "$@"
  fi
  if [[ ${1:-} != run || ! -w $(dirname "$jar") ]]; then
    exec java "${opts[@]}" -jar "$jar" "$@"
  fi
  # Only a successful run leaves an archive (an early error loads a fraction of the classes).
  tmp="$archive.$$.tmp"
  status=0
  java "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" '-Xlog:cds*=off' -jar "$jar" "$@" || status=$?
  if [[ $status -eq 0 && -s $tmp ]]; then
    rm -f "${jar%.jar}".*.jsa
    mv -f "$tmp" "$archive"
  else
    rm -f "$tmp"
  fi
  return "$status"
}
