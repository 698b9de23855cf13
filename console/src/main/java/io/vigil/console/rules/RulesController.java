package io.vigil.console.rules;

import io.vigil.console.alerts.AlertCounts;
import io.vigil.console.alerts.ChartSpan;
import io.vigil.console.rules.deploy.Deployments;
import io.vigil.console.rules.deploy.Releases;
import io.vigil.console.rules.figures.JobFigures;
import io.vigil.console.rules.figures.RuntimeFigures;
import io.vigil.console.rules.review.Reviews;
import io.vigil.console.rules.testing.SampleEvents;
import io.vigil.console.rules.testing.TestCases;
import io.vigil.console.store.Version;
import io.vigil.console.web.NotFound;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The rules list, a rule's page and a version's page with its diffs. */
@Controller
class RulesController {

  private final RuleBoard board;
  private final RuleVersions versions;
  private final Reviews reviews;
  private final TestCases testCases;
  private final SampleEvents samples;
  private final Deployments deployments;
  private final Releases releases;
  private final AlertCounts alertCounts;
  private final RuntimeFigures figures;

  RulesController(
      RuleBoard board,
      RuleVersions versions,
      Reviews reviews,
      TestCases testCases,
      SampleEvents samples,
      Deployments deployments,
      Releases releases,
      AlertCounts alertCounts,
      RuntimeFigures figures) {
    this.board = board;
    this.versions = versions;
    this.reviews = reviews;
    this.testCases = testCases;
    this.samples = samples;
    this.deployments = deployments;
    this.releases = releases;
    this.alertCounts = alertCounts;
    this.figures = figures;
  }

  @GetMapping("/rules")
  String list(
      @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "") String severity,
      @RequestParam(defaultValue = "") String state,
      Model model) {
    List<RuleSummary> all = board.summaries();
    model.addAttribute("rules", RuleBoard.filter(all, q, severity, state));
    model.addAttribute("q", q);
    model.addAttribute("severity", severity);
    model.addAttribute("state", state);
    model.addAttribute("total", all.size());
    model.addAttribute("figures", figures.current());
    return "rules/list";
  }

  @GetMapping("/rules/{id}")
  String rule(
      @PathVariable String id, @RequestParam(defaultValue = "24h") String range, Model model) {
    Version latest = versions.latest(id).orElseThrow(() -> NotFound.of("rule " + id));
    model.addAttribute("summary", board.summary(id, latest));
    model.addAttribute("versions", versions.newestFirst(id));
    model.addAttribute("review", reviews.current(id).orElse(null));
    model.addAttribute("fourEyes", reviews.fourEyes());
    model.addAttribute("testCases", testCases.of(id));
    model.addAttribute("samples", samples.names());
    model.addAttribute(
        "history",
        newestFirst(deployments.snapshot().history(id)).stream()
            .map(io.vigil.console.rules.deploy.HistoryRow::of)
            .toList());
    model.addAttribute("deploymentProblem", deployments.snapshot().problem().orElse(""));
    model.addAttribute("rollout", releases.lastRollout(id).orElse(null));
    ChartSpan span = ChartSpan.ofLabel(range).orElse(ChartSpan.DAY);
    model.addAttribute("chart", alertCounts.chart(span, java.util.Optional.of(id)));
    model.addAttribute("ranges", ChartSpan.values());
    model.addAttribute(
        "chartUrl",
        org.springframework.web.util.UriComponentsBuilder.fromPath("/alerts/chart")
            .queryParam("rule", id)
            .queryParam("range", span.label())
            .encode()
            .toUriString());
    JobFigures job = figures.current();
    model.addAttribute("figures", job);
    model.addAttribute("ruleFigures", job.rule(id).orElse(null));
    return "rules/rule";
  }

  private static <T> List<T> newestFirst(List<T> oldestFirst) {
    List<T> copy = new java.util.ArrayList<>(oldestFirst);
    java.util.Collections.reverse(copy);
    return copy;
  }

  @GetMapping("/rules/{id}/versions/{number}")
  String version(@PathVariable String id, @PathVariable int number, Model model) {
    Version version =
        versions.version(id, number).orElseThrow(() -> NotFound.of("version " + number));
    String previous = versions.version(id, number - 1).map(Version::source).orElse("");
    model.addAttribute("pageTitle", id + " v" + number);
    model.addAttribute("id", id);
    model.addAttribute("version", version);
    model.addAttribute(
        "diffPrevious",
        SourceDiff.unified(previous, version.source(), "v" + (number - 1), "v" + number));
    model.addAttribute("deployed", board.deployedSource(id).orElse(null));
    model.addAttribute(
        "diffDeployed",
        board
            .deployedSource(id)
            .map(d -> SourceDiff.unified(d, version.source(), "deployed", "v" + number))
            .orElse(List.of()));
    return "rules/version";
  }
}
