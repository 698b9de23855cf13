package io.vigil.runtime.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a replay's sink writes: the alerts (JSON Lines, in {@link ReplayLine#ALERT_ORDER}), the
 * problem reports (one a line, in arrival order), a one-line summary of the counts, and the alerts
 * as they arrive until the input ends ({@link AlertSpill}).
 */
public record ReplayFiles(String alerts, String problems, String summary, String spill)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public ReplayFiles {
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(problems, "problems");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(spill, "spill");
  }

  /** Alerts to {@code alerts}; the other files beside each other in {@code workDir}. */
  public static ReplayFiles of(Path alerts, Path workDir) {
    return new ReplayFiles(
        alerts.toAbsolutePath().toString(),
        workDir.resolve("problems.txt").toAbsolutePath().toString(),
        workDir.resolve("summary.txt").toAbsolutePath().toString(),
        workDir.resolve("alerts-unsorted.jsonl").toAbsolutePath().toString());
  }

  /** What the summary file says: how many lines of each kind the sink wrote. */
  public record Counts(long alerts, long deadLetters, long late) {}

  /** The counts the sink wrote when its input ended. */
  public Counts counts() {
    try {
      List<String> words =
          List.of(Files.readString(Path.of(summary), StandardCharsets.UTF_8).trim().split(" "));
      return new Counts(
          Long.parseLong(words.get(0)), Long.parseLong(words.get(1)), Long.parseLong(words.get(2)));
    } catch (IOException e) {
      throw new UncheckedIOException("replay summary " + summary, e);
    }
  }

  /** The problem reports, in the order the sink received them. */
  public BufferedReader problemReader() throws IOException {
    return Files.newBufferedReader(Path.of(problems), StandardCharsets.UTF_8);
  }
}
