package io.vigil.console.rules.review;

import io.vigil.console.audit.AuditLog;
import io.vigil.console.rules.RuleVersions;
import io.vigil.console.store.RedisJson;
import io.vigil.console.store.Version;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Four-eyes review: an analyst proposes the latest version, an admin who neither wrote nor proposed
 * it approves it. One open review per rule ({@code <prefix>rule:<id>:review}); a new proposal
 * replaces it.
 */
@Component
public class Reviews {

  private final RedisJson store;
  private final RuleVersions versions;
  private final AuditLog audit;
  private final Clock clock;
  private final ReviewProperties properties;

  public Reviews(
      RedisJson store,
      RuleVersions versions,
      AuditLog audit,
      Clock clock,
      ReviewProperties properties) {
    this.store = store;
    this.versions = versions;
    this.audit = audit;
    this.clock = clock;
    this.properties = properties;
  }

  public boolean fourEyes() {
    return properties.fourEyes();
  }

  public Optional<Review> current(String ruleId) {
    return store.get(key(ruleId), Review.class);
  }

  public Review propose(String ruleId, int version, String actor, String comment) {
    Version latest =
        versions.latest(ruleId).orElseThrow(() -> new ReviewException("no such rule: " + ruleId));
    if (latest.number() != version) {
      throw new ReviewException(
          "version " + version + " is not the latest (" + latest.number() + "); reload the page");
    }
    Review review =
        new Review(version, actor, clock.instant(), comment, Optional.empty(), Optional.empty());
    String before = current(ruleId).map(Reviews::describe).orElse("");
    store.set(key(ruleId), review);
    audit.record(actor, "propose v" + version, ruleId, before, describe(review));
    return review;
  }

  /** Approves the open proposal; refused to its author, to its proposer and when stale. */
  public Review approve(String ruleId, int version, String actor) {
    Review review =
        current(ruleId).orElseThrow(() -> new ReviewException("nothing is proposed for " + ruleId));
    if (review.version() != version) {
      throw new ReviewException(
          "version " + review.version() + " is proposed, not " + version + "; reload the page");
    }
    if (review.approved()) {
      throw new ReviewException("version " + version + " is already approved");
    }
    Version proposed =
        versions
            .version(ruleId, version)
            .orElseThrow(() -> new ReviewException("version " + version + " no longer exists"));
    if (actor.equals(review.proposedBy()) || actor.equals(proposed.author())) {
      throw new ReviewException(
          "nobody approves their own change: another admin must approve version " + version);
    }
    Review approved =
        new Review(
            review.version(),
            review.proposedBy(),
            review.proposedAt(),
            review.comment(),
            Optional.of(actor),
            Optional.of(clock.instant()));
    store.set(key(ruleId), approved);
    audit.record(actor, "approve v" + version, ruleId, describe(review), describe(approved));
    return approved;
  }

  /** Whether {@code version} may be deployed as far as review goes. */
  public boolean cleared(String ruleId, int version) {
    return !properties.fourEyes()
        || current(ruleId).filter(r -> r.version() == version && r.approved()).isPresent();
  }

  public void forget(String ruleId) {
    store.redis().delete(key(ruleId));
  }

  private String key(String ruleId) {
    return store.key("rule", ruleId, "review");
  }

  private static String describe(Review r) {
    return "v"
        + r.version()
        + " proposed by "
        + r.proposedBy()
        + r.approvedBy().map(a -> ", approved by " + a).orElse("");
  }
}
