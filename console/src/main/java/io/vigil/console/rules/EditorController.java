package io.vigil.console.rules;

import io.vigil.console.rules.check.CheckReport;
import io.vigil.console.rules.check.RuleCheck;
import io.vigil.console.rules.testing.SampleEvents;
import io.vigil.console.store.Version;
import io.vigil.console.streams.StreamDeclarations;
import io.vigil.console.web.NotFound;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The rule editor: new rule, new version of a rule, and the live check and explain fragments the
 * editor asks for as you type.
 */
@Controller
class EditorController {

  static final String TEMPLATE =
      """
      rule my_rule
        title "What this rule finds"
        severity medium
        tags example
        partition by cardId
        pattern
          first: payments(amount > 100)
          then second: payments(amount > 100)
        within 5m
        alert "Card {cardId}: two large payments"
      """;

  private static final java.util.regex.Pattern RULE_SET_ID =
      java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");

  private final RuleVersions versions;
  private final RuleCheck check;
  private final StreamDeclarations streams;
  private final SampleEvents samples;

  EditorController(
      RuleVersions versions, RuleCheck check, StreamDeclarations streams, SampleEvents samples) {
    this.versions = versions;
    this.check = check;
    this.streams = streams;
    this.samples = samples;
  }

  @GetMapping("/rules/new")
  String newRule(Model model) {
    return editor(model, "", TEMPLATE, "");
  }

  @GetMapping("/rules/{id}/edit")
  String edit(@PathVariable String id, Model model) {
    Version latest = versions.latest(id).orElseThrow(() -> NotFound.of("rule " + id));
    return editor(model, id, latest.source(), "");
  }

  /**
   * A new rule, or a new DRL rule set: a pattern rule is named by its {@code rule <name>}; a DRL
   * rule set by {@code ruleSetId}, the name {@code vigil deploy} takes from its file name.
   */
  @PostMapping("/rules")
  String create(
      @RequestParam String source,
      @RequestParam(defaultValue = "") String comment,
      @RequestParam(defaultValue = "") String ruleSetId,
      Authentication user,
      Model model) {
    String id;
    if (RuleCheck.isDecisionRuleSet(source)) {
      if (!RULE_SET_ID.matcher(ruleSetId.strip()).matches()) {
        return editor(
            model,
            "",
            source,
            "A DRL rule set needs an id: a letter, then letters, digits or _ (up to 100).",
            ruleSetId);
      }
      id = ruleSetId.strip();
    } else {
      CheckReport report = check.check(source);
      if (report.ruleId().isEmpty()) {
        return editor(model, "", source, "The source must declare a rule: `rule <name>`.");
      }
      id = report.ruleId().get();
    }
    if (versions.exists(id)) {
      return editor(
          model,
          "",
          source,
          "A rule named " + id + " exists already: edit it, or pick a new name.");
    }
    versions.save(id, source, user.getName(), comment);
    return "redirect:/rules/" + id;
  }

  @PostMapping("/rules/{id}")
  String save(
      @PathVariable String id,
      @RequestParam String source,
      @RequestParam(defaultValue = "") String comment,
      Authentication user,
      Model model) {
    if (!versions.exists(id)) {
      throw NotFound.of("rule " + id);
    }
    boolean wasDecisions =
        versions.latest(id).map(v -> RuleCheck.isDecisionRuleSet(v.source())).orElse(false);
    if (wasDecisions != RuleCheck.isDecisionRuleSet(source)) {
      return editor(
          model,
          id,
          source,
          wasDecisions
              ? "This is a DRL rule set: keep its `// vigil: streams` directive."
              : "This is a pattern rule: a DRL rule set is a new rule of its own.");
    }
    if (!wasDecisions && !check.check(source).ruleId().equals(java.util.Optional.of(id))) {
      return editor(
          model, id, source, "The source must declare `rule " + id + "` (the name cannot change).");
    }
    versions.save(id, source, user.getName(), comment);
    return "redirect:/rules/" + id;
  }

  @PostMapping("/rules/check")
  String checkFragment(@RequestParam String source, Model model) {
    model.addAttribute("report", check.check(source));
    return "rules/fragments :: diagnostics";
  }

  @PostMapping("/rules/explain")
  String explainFragment(@RequestParam String source, Model model) {
    model.addAttribute("report", check.check(source));
    return "rules/fragments :: explain";
  }

  private String editor(Model model, String id, String source, String error) {
    return editor(model, id, source, error, "");
  }

  private String editor(Model model, String id, String source, String error, String ruleSetId) {
    model.addAttribute("pageTitle", id.isEmpty() ? "New rule" : "Edit " + id);
    model.addAttribute("id", id);
    model.addAttribute("ruleSetId", ruleSetId);
    model.addAttribute("source", source);
    model.addAttribute("error", error);
    model.addAttribute("report", check.check(source));
    model.addAttribute(
        "schemas",
        streams.schemas().values().stream()
            .sorted(java.util.Comparator.comparing(io.vigil.dsl.schema.StreamSchema::name))
            .toList());
    model.addAttribute("samples", samples.names());
    return "rules/editor";
  }
}
