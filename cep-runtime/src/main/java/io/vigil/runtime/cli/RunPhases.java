package io.vigil.runtime.cli;

import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the time of one {@code vigil run} went ({@code --timings}): from the JVM's start to the
 * command, then phase by phase; and what the JVM itself spent, which on a machine of few cores
 * decides as much as the matcher does (the collector's pauses stop every thread, the JIT compilers
 * take cores from the run). A tool for measuring, printed on stderr.
 */
final class RunPhases {

  private record Mark(String phase, long nanos) {}

  private final long beginNanos = System.nanoTime();

  /**
   * From the JVM's own start, to the millisecond (the launcher's script before it, about 0.05 s, is
   * not counted): the process's start time as the system reports it ({@link
   * ProcessHandle.Info#startInstant}) is derived from the boot time in whole seconds on Linux, and
   * read up to a second early.
   */
  private final long sinceJvmStartMillis = ManagementFactory.getRuntimeMXBean().getUptime();

  private final List<Mark> marks = new ArrayList<>();

  /** The phase that ends now. */
  void mark(String phase) {
    marks.add(new Mark(phase, System.nanoTime()));
  }

  void print(PrintWriter err, EmbeddedCluster cluster) {
    List<Mark> all = new ArrayList<>(marks);
    if (cluster != null && cluster.builtNanos() != 0) {
      all.add(new Mark("job built", cluster.builtNanos()));
    }
    if (cluster != null && cluster.submittedNanos() != 0) {
      all.add(new Mark("cluster ready", cluster.submittedNanos()));
    }
    all.sort(Comparator.comparingLong(Mark::nanos));
    StringBuilder line = new StringBuilder("vigil run: timings (ms): JVM start to command ");
    line.append(sinceJvmStartMillis);
    long previous = beginNanos;
    for (Mark mark : all) {
      line.append(", ").append(mark.phase()).append(' ');
      line.append((mark.nanos() - previous) / 1_000_000);
      previous = mark.nanos();
    }
    if (cluster != null) {
      line.append("; the cluster started in ").append(cluster.startMillis());
      line.append(" from the command's start, in the background");
    }
    err.println(line);
    err.println(jvm());
    err.flush();
  }

  /** The process's CPU time, the collector's time and collections, and the JIT compilers' time. */
  private static String jvm() {
    StringBuilder line = new StringBuilder("vigil run: JVM (ms): CPU ");
    line.append(
        ProcessHandle.current()
            .info()
            .totalCpuDuration()
            .map(cpu -> String.valueOf(cpu.toMillis()))
            .orElse("unknown"));
    long collectorMillis = 0;
    long collections = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      collectorMillis += Math.max(0, collector.getCollectionTime());
      collections += Math.max(0, collector.getCollectionCount());
    }
    line.append(", collector ").append(collectorMillis);
    line.append(" in ").append(collections).append(" collections");
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    line.append(", JIT ");
    line.append(
        jit != null && jit.isCompilationTimeMonitoringSupported()
            ? String.valueOf(jit.getTotalCompilationTime())
            : "unknown");
    return line.toString();
  }
}
