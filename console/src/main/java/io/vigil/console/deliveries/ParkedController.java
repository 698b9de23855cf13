package io.vigil.console.deliveries;

import io.vigil.console.alertservice.AlertServiceClient;
import io.vigil.console.alertservice.AlertServiceException;
import io.vigil.console.alertservice.Subscription;
import io.vigil.console.audit.AuditLog;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Deliveries the alert service gave up on (every attempt failed, refused for good, or expired),
 * with replay: one, or in bulk by subscription and parked-time range.
 */
@Controller
class ParkedController {
  static final int SHOWN = 200;

  private final AlertServiceClient alertService;
  private final AuditLog audit;

  ParkedController(AlertServiceClient alertService, AuditLog audit) {
    this.alertService = alertService;
    this.audit = audit;
  }

  @GetMapping("/deliveries/parked")
  String parked(@RequestParam(defaultValue = "") String subscriptionId, Model model) {
    Optional<String> only =
        subscriptionId.isBlank() ? Optional.empty() : Optional.of(subscriptionId);
    Map<String, Subscription> subscriptions =
        alertService.subscriptions().stream()
            .collect(Collectors.toMap(Subscription::id, Function.identity(), (a, b) -> a));
    model.addAttribute("deliveries", alertService.parked(only, SHOWN));
    model.addAttribute("subscriptions", subscriptions);
    model.addAttribute("subscriptionId", subscriptionId);
    model.addAttribute("shown", SHOWN);
    return "deliveries/parked";
  }

  @PostMapping("/deliveries/{id}/replay")
  String replay(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String subscriptionId,
      Authentication user,
      RedirectAttributes redirect) {
    alertService.replay(id);
    audit.record(user.getName(), "replay delivery", "delivery " + id, "parked", "scheduled");
    redirect.addFlashAttribute("notice", "Delivery " + id + " is back on the schedule.");
    return back(redirect, subscriptionId);
  }

  /** Bulk replay; an empty field leaves that part of the selection open. Times are UTC. */
  @PostMapping("/deliveries/parked/replay")
  String replayAll(
      @RequestParam(defaultValue = "") String subscriptionId,
      @RequestParam(defaultValue = "") String from,
      @RequestParam(defaultValue = "") String to,
      Authentication user,
      RedirectAttributes redirect) {
    Optional<String> only =
        subscriptionId.isBlank() ? Optional.empty() : Optional.of(subscriptionId);
    Optional<Instant> since;
    Optional<Instant> until;
    try {
      since = time(from);
      until = time(to);
    } catch (DateTimeParseException e) {
      redirect.addFlashAttribute("error", "From and to are UTC times such as 2026-12-04T18:00.");
      return back(redirect, subscriptionId);
    }
    long n;
    try {
      n = alertService.replay(only, since, until);
    } catch (AlertServiceException e) {
      if (!e.refused()) {
        throw e;
      }
      redirect.addFlashAttribute("error", e.getMessage());
      return back(redirect, subscriptionId);
    }
    String selection = "subscription " + only.orElse("any") + ", parked " + from + " .. " + to;
    audit.record(user.getName(), "replay parked deliveries", selection, "", n + " replayed");
    redirect.addFlashAttribute("notice", n + " parked deliveries are back on the schedule.");
    return back(redirect, subscriptionId);
  }

  private static Optional<Instant> time(String text) {
    return text.isBlank()
        ? Optional.empty()
        : Optional.of(LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC));
  }

  private static String back(RedirectAttributes redirect, String subscriptionId) {
    if (!subscriptionId.isBlank()) {
      redirect.addAttribute("subscriptionId", subscriptionId);
    }
    return "redirect:/deliveries/parked";
  }
}
