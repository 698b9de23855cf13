package io.vigil.runtime.replay;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.source.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One line a replay writes: an alert (its JSON, written once where the alert is made) with the key
 * the output is ordered by, or a problem report (dead letter, late event). The line travels to the
 * writer as its UTF-8 bytes, which the writer writes as they are: text would be serialized a
 * character at a time on the way, and encoded again by the writer.
 *
 * @param kind what the line is
 * @param endTime the alert's end time; 0 for a problem
 * @param ruleId the alert's rule; empty for a problem
 * @param alertId the alert's id; empty for a problem
 * @param utf8 the line's text (the alert's JSON, or the problem's report) as UTF-8; not copied, and
 *     never changed
 */
public record ReplayLine(Kind kind, long endTime, String ruleId, String alertId, byte[] utf8) {

  /** What a replay line reports. */
  public enum Kind {
    ALERT,
    DEAD_LETTER,
    LATE
  }

  /** Alerts in the order a replay prints them: end time, rule, id (the same in every run). */
  public static final Comparator<ReplayLine> ALERT_ORDER =
      alertOrder(ReplayLine::endTime, ReplayLine::ruleId, ReplayLine::alertId);

  /** {@link #ALERT_ORDER} for anything that knows an alert's end time, rule and id. */
  static <T> Comparator<T> alertOrder(
      ToLongFunction<T> endTime, Function<T, String> ruleId, Function<T, String> alertId) {
    return Comparator.comparingLong(endTime).thenComparing(ruleId).thenComparing(alertId);
  }

  public ReplayLine {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(utf8, "utf8");
  }

  /** A line of this text. */
  public ReplayLine(Kind kind, long endTime, String ruleId, String alertId, String text) {
    this(kind, endTime, ruleId, alertId, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The line's text. */
  public String text() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplayLine l
        && l.kind == kind
        && l.endTime == endTime
        && l.ruleId.equals(ruleId)
        && l.alertId.equals(alertId)
        && Arrays.equals(l.utf8, utf8);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, endTime, ruleId, alertId, Arrays.hashCode(utf8));
  }

  @Override
  public String toString() {
    return "ReplayLine["
        + kind
        + " "
        + endTime
        + " "
        + ruleId
        + " "
        + alertId
        + ": "
        + text()
        + "]";
  }

  public static ReplayLine alert(Alert alert) {
    return new ReplayLine(
        Kind.ALERT, alert.endTime(), alert.ruleId(), alert.alertId(), AlertJson.write(alert));
  }

  public static ReplayLine deadLetter(DeadLetter dead) {
    return new ReplayLine(
        Kind.DEAD_LETTER,
        0,
        "",
        "",
        "dead letter (" + dead.origin() + "): " + dead.reason() + ": " + dead.payload());
  }

  public static ReplayLine late(String event) {
    return new ReplayLine(Kind.LATE, 0, "", "", "late event: " + event);
  }
}
