package io.vigil.console.rules.testing;

import io.vigil.console.rules.RuleVersions;
import io.vigil.console.rules.check.CheckReport;
import io.vigil.console.rules.check.RuleCheck;
import io.vigil.console.store.Version;
import io.vigil.console.streams.StreamDeclarations;
import io.vigil.console.web.NotFound;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Test runs from the editor and the rule page, and the saved test cases of a rule. */
@Controller
class TestRunController {

  private final TestRunner runner;
  private final TestCases cases;
  private final SampleEvents samples;
  private final RuleCheck check;
  private final RuleVersions versions;
  private final StreamDeclarations streams;
  private final TopicEvents topics;

  TestRunController(
      TestRunner runner,
      TestCases cases,
      SampleEvents samples,
      RuleCheck check,
      RuleVersions versions,
      StreamDeclarations streams,
      TopicEvents topics) {
    this.runner = runner;
    this.cases = cases;
    this.samples = samples;
    this.check = check;
    this.versions = versions;
    this.streams = streams;
    this.topics = topics;
  }

  /**
   * Where a run's events come from: the last {@code minutes} of {@code topicStream}'s topic when a
   * stream is picked, else the sample file when one is picked, else the uploaded file when one is
   * sent, else the pasted lines.
   */
  record EventSource(
      String sample, String events, String topicStream, int minutes, Optional<String> upload) {

    static EventSource of(
        String sample, String events, String topicStream, int minutes, MultipartFile upload) {
      Optional<String> uploaded = Optional.empty();
      if (upload != null && !upload.isEmpty()) {
        try {
          uploaded = Optional.of(new String(upload.getBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new TestRunException("cannot read the uploaded file: " + e.getMessage(), e);
        }
      }
      return new EventSource(sample, events, topicStream, minutes, uploaded);
    }
  }

  /** Runs the editor's current text (saved or not). */
  @PostMapping("/rules/test")
  String testSource(
      @RequestParam String source,
      @RequestParam(defaultValue = "") String sample,
      @RequestParam(defaultValue = "") String events,
      @RequestParam(defaultValue = "") String topicStream,
      @RequestParam(defaultValue = "15") int minutes,
      @RequestParam(required = false) MultipartFile upload,
      Model model) {
    return run(
        source,
        EventSource.of(sample, events, topicStream, minutes, upload),
        TestRunner.UNSAVED,
        "",
        model);
  }

  /** Runs the latest saved version of a rule. */
  @PostMapping("/rules/{id}/test")
  String testRule(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String sample,
      @RequestParam(defaultValue = "") String events,
      @RequestParam(defaultValue = "") String topicStream,
      @RequestParam(defaultValue = "15") int minutes,
      @RequestParam(required = false) MultipartFile upload,
      Model model) {
    Version latest = versions.latest(id).orElseThrow(() -> NotFound.of("rule " + id));
    return run(
        latest.source(),
        EventSource.of(sample, events, topicStream, minutes, upload),
        id,
        id,
        model);
  }

  /** Saves the events as a test case; what the latest version raises on them is expected. */
  @PostMapping("/rules/{id}/tests")
  String saveCase(
      @PathVariable String id,
      @RequestParam String name,
      @RequestParam String events,
      Authentication user,
      RedirectAttributes flash) {
    Version latest = versions.latest(id).orElseThrow(() -> NotFound.of("rule " + id));
    if (!TestCase.validName(name)) {
      flash.addFlashAttribute("error", TestCase.NAME_RULE);
      return "redirect:/rules/" + id;
    }
    try {
      TestRunResult result = runner.run(streams.sources(), id, latest.source(), events);
      cases.save(id, name.strip(), events, result.signatures(), user.getName());
      flash.addFlashAttribute(
          "notice",
          "Test case \"" + name + "\" saved, expecting " + result.alerts().size() + " alert(s).");
    } catch (TestRunException e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/rules/" + id;
  }

  @PostMapping("/rules/{id}/tests/{name}/delete")
  String deleteCase(
      @PathVariable String id,
      @PathVariable String name,
      Authentication user,
      RedirectAttributes flash) {
    if (!versions.exists(id)) {
      throw NotFound.of("rule " + id);
    }
    cases.delete(id, name, user.getName());
    flash.addFlashAttribute("notice", "Test case \"" + name + "\" deleted.");
    return "redirect:/rules/" + id;
  }

  /**
   * @param runAs the id the rule runs under (a DRL rule set's alerts carry it)
   * @param ruleId the saved rule whose page asks, or empty from the editor (no saving of cases)
   */
  private String run(String source, EventSource from, String runAs, String ruleId, Model model) {
    model.addAttribute("ruleId", ruleId);
    CheckReport report = check.check(source);
    if (report.hasErrors()) {
      model.addAttribute("error", "Fix the rule's errors first (" + report.errorCount() + ").");
      return "rules/fragments :: test-result";
    }
    String input;
    if (!from.topicStream().isBlank()) {
      try {
        TopicEvents.Read read = topics.read(from.topicStream(), from.minutes());
        input = read.lines();
        model.addAttribute("topicRead", read);
      } catch (TestRunException e) {
        model.addAttribute("error", e.getMessage());
        return "rules/fragments :: test-result";
      }
      if (input.isEmpty()) {
        model.addAttribute(
            "error",
            "No events on stream %s in the last %d minutes."
                .formatted(from.topicStream(), from.minutes()));
        return "rules/fragments :: test-result";
      }
    } else {
      String sample = from.sample();
      input =
          sample.isBlank() ? from.upload().orElse(from.events()) : samples.read(sample).orElse("");
      if (!sample.isBlank() && input.isEmpty()) {
        model.addAttribute("error", "No sample file named " + sample + ".");
        return "rules/fragments :: test-result";
      }
    }
    try {
      model.addAttribute("result", runner.run(streams.sources(), runAs, source, input));
      model.addAttribute("events", input);
    } catch (TestRunException e) {
      model.addAttribute("error", e.getMessage());
    }
    return "rules/fragments :: test-result";
  }
}
