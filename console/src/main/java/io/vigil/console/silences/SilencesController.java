package io.vigil.console.silences;

import io.vigil.console.alertservice.AlertServiceClient;
import io.vigil.console.alertservice.AlertServiceException;
import io.vigil.console.alertservice.Matcher;
import io.vigil.console.alertservice.Silence;
import io.vigil.console.audit.AuditLog;
import io.vigil.console.web.Confirmation;
import io.vigil.console.web.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Silences, kept by the alert service: the active and scheduled ones, a form to create one, and
 * expiring one (the alert service deletes it; its alerts notify again from then on).
 */
@Controller
class SilencesController {
  private final AlertServiceClient alertService;
  private final AuditLog audit;
  private final JsonMapper json;
  private final Clock clock;

  SilencesController(
      AlertServiceClient alertService, AuditLog audit, JsonMapper json, Clock clock) {
    this.alertService = alertService;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/silences")
  String list(Model model) {
    return page(model, SilenceForm.blank(), List.of());
  }

  @PostMapping("/silences")
  String create(
      @ModelAttribute SilenceForm form,
      Authentication user,
      Model model,
      RedirectAttributes redirect,
      jakarta.servlet.http.HttpServletResponse response) {
    List<String> problems = new ArrayList<>();
    Matcher match = form.matcher(problems);
    Instant endsAt = form.endsAt(clock.instant(), problems);
    if (problems.isEmpty()) {
      try {
        Silence created = alertService.silence(match, endsAt, form.comment());
        audit.record(
            user.getName(),
            "create silence",
            "silence " + created.id(),
            "",
            json.writeValueAsString(created));
        redirect.addFlashAttribute("notice", "Silence created until " + endsAt + ".");
        return "redirect:/silences";
      } catch (AlertServiceException e) {
        problems.add(e.getMessage());
      }
    }
    response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
    return page(model, form, problems);
  }

  /** Asks before expiring: the page's form is what expires the silence. */
  @GetMapping("/silences/{id}/expire")
  String confirmExpire(@PathVariable String id, Model model) {
    Silence silence =
        alertService.silences().stream()
            .filter(x -> x.id().equals(id))
            .findFirst()
            .orElseThrow(() -> NotFound.of("silence " + id));
    model.addAttribute("x", silence);
    model.addAttribute("now", clock.instant());
    return "silences/expire";
  }

  /** Expires only with {@code confirm=yes} (the confirmation page's form); otherwise asks. */
  @PostMapping("/silences/{id}/expire")
  String expire(
      @PathVariable String id,
      @RequestParam(name = Confirmation.FIELD, defaultValue = "") String confirm,
      Authentication user,
      RedirectAttributes redirect) {
    if (!Confirmation.given(confirm)) {
      return "redirect:/silences/" + id + "/expire";
    }
    alertService.expire(id);
    audit.record(user.getName(), "expire silence", "silence " + id, id, "");
    redirect.addFlashAttribute("notice", "Silence expired: its alerts notify again.");
    return "redirect:/silences";
  }

  private String page(Model model, SilenceForm form, List<String> problems) {
    Instant now = clock.instant();
    List<Silence> silences =
        alertService.silences().stream().sorted(Comparator.comparing(Silence::endsAt)).toList();
    model.addAttribute("silences", silences);
    model.addAttribute("now", now);
    model.addAttribute("form", form);
    model.addAttribute("problems", problems);
    return "silences/list";
  }
}
