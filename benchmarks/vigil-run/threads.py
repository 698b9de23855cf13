#!/usr/bin/env python3
"""CPU seconds per thread group of one command, e.g. where a `vigil run` spends its CPU:

    benchmarks/vigil-run/threads.py java -jar cep-runtime/target/vigil.jar run --rules … --events …

Runs the command, reads /proc/<pid>/task/*/stat four times a second (a thread's last reading
counts, so threads that end early are kept), and prints CPU seconds by group: the task threads
(one line per subtask: each task reads, routes and matches its own keys), the alerts' sink, the
JIT compilers, the collector's threads, the rest. Linux only; the readings cost next to nothing
beside the command.
"""

import collections
import os
import subprocess
import sys
import time

GROUPS = (
    # Linux keeps the first 15 characters of a thread's name.
    ("Source: events-", "reader and matcher"),
    ("replay-files: W", "alerts sink"),
    ("vigil-matcher", "matcher"),
    ("events-file-ro", "router"),
    ("vigil-router", "router"),
    ("C2 CompilerThre", "JIT (C2)"),
    ("C1 CompilerThre", "JIT (C1)"),
    ("GC Thread", "collector"),
    ("VM Thread", "collector"),
)


def read(pid, last):
    base = f"/proc/{pid}/task"
    try:
        tasks = os.listdir(base)
    except FileNotFoundError:
        return
    for tid in tasks:
        try:
            with open(f"{base}/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime and stime are the 14th and 15th fields of stat, the 12th and 13th after the name.
        last[tid] = (name, int(fields[11]) + int(fields[12]))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ticks = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    last = {}
    while proc.poll() is None:
        read(proc.pid, last)
        time.sleep(0.25)
    wall = time.monotonic() - started
    groups = collections.Counter()
    for tid, (name, cpu) in last.items():
        group = next((g for prefix, g in GROUPS if name.startswith(prefix)), "other")
        if group in ("matcher", "router", "reader and matcher"):
            group = f"{group} (thread {tid})"
        groups[group] += cpu / ticks
    total = sum(groups.values())
    print(f"wall {wall:.2f} s, CPU {total:.2f} s (threads seen by the last reading)")
    for group, cpu in groups.most_common():
        print(f"{cpu:7.2f} s  {100 * cpu / total:5.1f} %  {group}")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
