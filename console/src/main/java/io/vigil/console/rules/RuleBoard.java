package io.vigil.console.rules;

import io.vigil.console.rules.review.Reviews;
import io.vigil.console.store.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Where every rule stands: its latest version, its review and its deployment. */
@Component
public class RuleBoard {

  private final RuleVersions versions;
  private final Reviews reviews;

  public RuleBoard(RuleVersions versions, Reviews reviews) {
    this.versions = versions;
    this.reviews = reviews;
  }

  public List<RuleSummary> summaries() {
    List<RuleSummary> out = new ArrayList<>();
    for (String id : versions.ids()) {
      versions.latest(id).ifPresent(latest -> out.add(summary(id, latest)));
    }
    return out;
  }

  public RuleSummary summary(String id, Version latest) {
    return RuleSummary.of(id, latest, reviews.current(id), deploymentLabel(id));
  }

  /** The source deployed for {@code id}, when one is. */
  public Optional<String> deployedSource(String id) {
    return Optional.empty();
  }

  private String deploymentLabel(String id) {
    return "not deployed";
  }

  /** The summaries that match the query, severity and state filters (empty filter: all). */
  public static List<RuleSummary> filter(
      List<RuleSummary> all, String query, String severity, String state) {
    return all.stream()
        .filter(r -> r.matches(query))
        .filter(r -> severity.isBlank() || r.severity().equalsIgnoreCase(severity))
        .filter(
            r ->
                state.isBlank() || r.review().startsWith(state) || r.deployment().startsWith(state))
        .toList();
  }
}
