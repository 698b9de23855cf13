package io.vigil.console.rules.review;

import java.time.Instant;
import java.util.Optional;

/**
 * A version put forward for deployment and, once an admin agreed, approved.
 *
 * @param version the rule version under review
 */
public record Review(
    int version,
    String proposedBy,
    Instant proposedAt,
    String comment,
    Optional<String> approvedBy,
    Optional<Instant> approvedAt) {

  public boolean approved() {
    return approvedBy.isPresent();
  }
}
