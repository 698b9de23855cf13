package io.vigil.console.rules;

import io.vigil.console.rules.check.RuleCheck;
import io.vigil.console.rules.review.Review;
import io.vigil.console.store.Version;
import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.syntax.SourceParser;
import java.util.List;
import java.util.Optional;

/**
 * One line of the rules list: metadata as the latest source declares it, and where the rule stands
 * (review and deployment).
 *
 * @param language "pattern" (the rule language) or "DRL" (a Drools rule set, docs/drools.md)
 * @param review "draft", "proposed v4", "approved v4"
 * @param deployment "deployed v3", "rejected: …", "disabled", or "not deployed"
 * @param lastAlert when the rule's newest alert was detected (UTC), or empty
 */
public record RuleSummary(
    String id,
    String title,
    String severity,
    List<String> tags,
    String owner,
    String language,
    Version latest,
    String review,
    String deployment,
    String lastAlert,
    long alertsLastHour) {

  private static final java.util.regex.Pattern DRL_STREAMS =
      java.util.regex.Pattern.compile("(?m)^\\s*//\\s*vigil:\\s*streams\\b(.*)$");

  public static RuleSummary of(
      String id,
      Version latest,
      Optional<Review> review,
      String deployment,
      String lastAlert,
      long alertsLastHour) {
    if (RuleCheck.isDecisionRuleSet(latest.source())) {
      java.util.regex.Matcher streams = DRL_STREAMS.matcher(latest.source());
      return new RuleSummary(
          id,
          "DRL rule set on " + (streams.find() ? streams.group(1).strip() : "?"),
          "",
          List.of(),
          "",
          "DRL",
          latest,
          reviewLabel(latest, review),
          deployment,
          lastAlert,
          alertsLastHour);
    }
    Optional<RuleDecl> decl = declaration(latest.source());
    return new RuleSummary(
        id,
        decl.flatMap(RuleDecl::title).map(RuleDecl.StringLiteral::value).orElse(""),
        decl.flatMap(RuleDecl::severity).map(Name::text).orElse(""),
        decl.map(d -> d.tags().stream().map(Name::text).toList()).orElse(List.of()),
        decl.flatMap(RuleDecl::owner).map(Name::text).orElse(""),
        "pattern",
        latest,
        reviewLabel(latest, review),
        deployment,
        lastAlert,
        alertsLastHour);
  }

  static String reviewLabel(Version latest, Optional<Review> review) {
    return review
        .filter(r -> r.version() == latest.number())
        .map(r -> (r.approved() ? "approved v" : "proposed v") + r.version())
        .orElse("draft");
  }

  private static Optional<RuleDecl> declaration(String source) {
    for (Declaration d : SourceParser.parse(new SourceFile("rule.vgl", source)).declarations()) {
      if (d instanceof RuleDecl r) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Whether the rule matches a free-text query (id, title, tags, owner), case-insensitive. */
  public boolean matches(String query) {
    String q = query.toLowerCase(java.util.Locale.ROOT).strip();
    return q.isEmpty()
        || (id + " " + title + " " + String.join(" ", tags) + " " + owner)
            .toLowerCase(java.util.Locale.ROOT)
            .contains(q);
  }
}
