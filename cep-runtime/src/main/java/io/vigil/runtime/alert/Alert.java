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
 * @param events the matched events per stage, each as the JSON object the stream declares
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
    Map<String, List<Map<String, Object>>> events)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public Alert {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(kind, "kind");
    tags = List.copyOf(tags);
    key = new LinkedHashMap<>(key);
    events = new LinkedHashMap<>(events);
  }

  /** A complete match, or a partial match that timed out ({@code on timeout alert}). */
  public enum Kind {
    MATCH,
    TIMEOUT
  }
}
