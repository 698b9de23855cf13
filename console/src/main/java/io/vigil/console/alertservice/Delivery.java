package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * One notification to one subscription and its attempts, as the alert service reports it.
 *
 * @param status {@code pending}, {@code retry}, {@code delivered} or {@code parked}; a test send is
 *     {@code delivered} or {@code failed}
 * @param parkNote why it was parked; empty unless parked
 * @param test a test send from the subscription's page or the API, not an alert
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Delivery(
    String id,
    String subscriptionId,
    String idempotencyKey,
    int suppressed,
    List<Attempt> attempts,
    String status,
    Instant createdAt,
    Instant since,
    String parkNote,
    boolean test) {

  public Delivery {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    parkNote = parkNote == null ? "" : parkNote;
  }

  /** The newest attempt's outcome in a few words, or "not attempted yet". */
  public String lastOutcome() {
    if (attempts.isEmpty()) {
      return "not attempted yet";
    }
    Attempt last = attempts.get(attempts.size() - 1);
    return last.describe();
  }

  /**
   * @param status the HTTP status, 0 when there was none
   * @param error empty when it succeeded
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Attempt(int number, Instant at, int status, String error, long durationMillis) {
    public Attempt {
      error = error == null ? "" : error;
    }

    public String describe() {
      String code = status == 0 ? "" : "HTTP " + status + " ";
      String what =
          error.isEmpty() ? code + "ok" : (error.startsWith("HTTP") ? error : code + error);
      return what + " in " + durationMillis + " ms";
    }
  }
}
