package io.vigil.runtime.alert;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert as the alert service and the console read it (its JSON form is {@link AlertJson}).
 *
 * @param alertId deterministic: the same rule version, key and matched events give the same id, so
 *     that replays and retries are idempotent downstream
 * @param key the partition key of the match, field path to value, in the rule's key order
 * @param events the matched events per stage, each as the JSON object the stream declares; at most
 *     the job's cap per stage, and fewer when the alert would exceed its maximum size ({@link
 *     AlertLimits})
 * @param dropped per stage, how many matched events the alert leaves out (only stages that lost
 *     some); the events kept are the first and the last of the stage
 * @param truncated whether the title or message (or a key value) were cut to fit the maximum size
 */
public record Alert(
    String alertId,
    String ruleId,
    long ruleVersion,
    Kind kind,
    String severity,
    String title,
    String message,
    List<String> tags,
    Optional<String> owner,
    Map<String, Object> key,
    long startTime,
    long endTime,
    long detectedAt,
    Map<String, List<Map<String, Object>>> events,
    Map<String, Integer> dropped,
    boolean truncated)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public Alert {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(kind, "kind");
    tags = List.copyOf(tags);
    key = new LinkedHashMap<>(key);
    events = new LinkedHashMap<>(events);
    dropped = new LinkedHashMap<>(dropped);
  }

  /** Every matched event is in the alert, nothing was cut. */
  public boolean complete() {
    return dropped.isEmpty() && !truncated;
  }

  /** A complete match, or a partial match that timed out ({@code on timeout alert}). */
  public enum Kind {
    MATCH,
    TIMEOUT
  }
}
