# Sourced by launcher/run-options.sh and launcher/class-archive.sh: what a `vigil run`'s arguments
# say, read as the CLI reads them.

# run_events_file ARGS... — prints the file the first --events among ARGS names, if any.
run_events_file() {
  while (($#)); do
    case $1 in
      --events) echo "${2:-}" && return ;;
      --events=*) echo "${1#--events=}" && return ;;
    esac
    shift
  done
}

# runs_a_job ARGS... — whether `vigil ARGS...` is a run that replays an events file there is:
# not one that only prints its help or version, which loads a fraction of the classes and runs
# none of the matcher.
runs_a_job() {
  [[ ${1:-} == run ]] || return 1
  shift
  local arg file
  for arg in "$@"; do
    [[ $arg =~ ^-[hV]+$ || $arg == --help || $arg == --version ]] && return 1
  done
  file=$(run_events_file "$@")
  [[ -n $file && -f $file ]]
}
