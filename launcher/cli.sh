# Sourced by ./vigil (and the launcher's integration test). Runs the Vigil CLI jar as ./vigil runs
# it: on the JDK it chooses (launcher/java-select.sh), with the JVM options of the command
# (launcher/run-options.sh) and its class cache or archive (launcher/class-archive.sh).

# shellcheck source=launcher/run-options.sh
source "$(dirname "${BASH_SOURCE[0]}")/run-options.sh"
# shellcheck source=launcher/class-archive.sh
source "$(dirname "${BASH_SOURCE[0]}")/class-archive.sh"

# run_cli JAR ARGS... — replaces the shell (exec) unless it records a cache or archive.
# The JVM: CLI_JAVA when set, else the one cli_java chooses. Options: VIGIL_JAVA_OPTS, last.
run_cli() {
  local jar=$1
  shift
  CLI_JAVA=${CLI_JAVA:-$(cli_java)}
  case ${1:-} in
    run) VIGIL_JAVA_OPTS=$(run_java_options "$@") ;;
    job) VIGIL_JAVA_OPTS=$(job_java_options) ;;
  esac
  VIGIL_JAVA_OPTS="$(cli_java_options "$CLI_JAVA") ${VIGIL_JAVA_OPTS:-}"
  run_with_class_archive "$jar" "$@"
}
