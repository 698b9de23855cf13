package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.duration;
import static io.vigil.runtime.config.Parsers.positive;
import static io.vigil.runtime.config.Parsers.positiveDuration;
import static io.vigil.runtime.config.Parsers.text;

import java.time.Duration;
import java.util.List;

/** How Flink runs the job: parallelism, network, checkpoints, state and restarts. */
public final class FlinkOptions {

  private FlinkOptions() {}

  public static final Option<Integer> PARALLELISM =
      new Option<>("parallelism", "1", "Parallelism of the matcher and the sources.", positive());
  public static final Option<Integer> MAX_PARALLELISM =
      new Option<>(
          "max-parallelism",
          "128",
          "Upper bound of the parallelism a checkpoint can be restored with; never change it.",
          positive());
  public static final Option<Duration> BUFFER_TIMEOUT =
      new Option<>(
          "network.buffer-timeout",
          "10ms",
          "How long a record may wait in a partly filled network buffer between the job's tasks"
              + " (Flink's execution.buffer-timeout.interval, 100ms by default there); it adds up"
              + " to this per hop (source → router → matcher → sink) to every alert.",
          positiveDuration());
  public static final Option<Duration> CHECKPOINT_INTERVAL =
      new Option<>(
          "checkpoint.interval",
          "10s",
          "Checkpoint interval (with alerts.delivery=exactly-once, alerts commit with it).",
          duration());
  public static final Option<String> CHECKPOINT_DIR =
      new Option<>(
          "checkpoint.dir",
          "file:///tmp/vigil/checkpoints",
          "Where checkpoints are kept (retained on cancellation).",
          text());
  public static final Option<String> STATE_BACKEND =
      new Option<>(
          "state.backend",
          "hashmap",
          "hashmap (heap) or rocksdb.",
          t -> {
            String v = t.trim();
            if (!v.equals("hashmap") && !v.equals("rocksdb")) {
              throw new IllegalArgumentException("expected hashmap or rocksdb");
            }
            return v;
          });
  public static final Option<String> RESTORE_FROM =
      new Option<>(
          "restore-from",
          "",
          "A checkpoint or savepoint path to restore from (any parallelism).",
          text());
  public static final Option<Integer> RESTART_ATTEMPTS =
      new Option<>(
          "restart.attempts",
          "10",
          "Restarts after a task failure before the job fails.",
          positive());

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(
        PARALLELISM,
        MAX_PARALLELISM,
        BUFFER_TIMEOUT,
        CHECKPOINT_INTERVAL,
        CHECKPOINT_DIR,
        STATE_BACKEND,
        RESTORE_FROM,
        RESTART_ATTEMPTS);
  }
}
