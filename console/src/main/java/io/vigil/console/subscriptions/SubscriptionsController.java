package io.vigil.console.subscriptions;

import io.vigil.console.alertservice.AlertServiceClient;
import io.vigil.console.alertservice.AlertServiceException;
import io.vigil.console.alertservice.Delivery;
import io.vigil.console.alertservice.Subscription;
import io.vigil.console.alertservice.SubscriptionRequest;
import io.vigil.console.alertservice.TestSend;
import io.vigil.console.audit.AuditLog;
import io.vigil.console.web.Confirmation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Webhook and email subscriptions, kept by the alert service: list, one subscription with its
 * delivery history and a test send, and the form to create or change one.
 */
@Controller
class SubscriptionsController {
  static final int HISTORY = 50;

  private final AlertServiceClient alertService;
  private final AuditLog audit;
  private final JsonMapper json;

  SubscriptionsController(AlertServiceClient alertService, AuditLog audit, JsonMapper json) {
    this.alertService = alertService;
    this.audit = audit;
    this.json = json;
  }

  @GetMapping("/subscriptions")
  String list(Model model) {
    model.addAttribute("subscriptions", alertService.subscriptions());
    return "subscriptions/list";
  }

  @GetMapping("/subscriptions/{id}")
  String subscription(@PathVariable String id, Model model) {
    Subscription subscription = alertService.subscription(id);
    List<Delivery> history = alertService.history(id, HISTORY);
    model.addAttribute("s", subscription);
    model.addAttribute("history", history);
    model.addAttribute("parked", alertService.parked(Optional.of(id), 1000).size());
    return "subscriptions/subscription";
  }

  @GetMapping("/subscriptions/new")
  String newSubscription(Model model) {
    return form(model, "", SubscriptionForm.blank(), List.of(), false);
  }

  @GetMapping("/subscriptions/{id}/edit")
  String edit(@PathVariable String id, Model model) {
    Subscription s = alertService.subscription(id);
    return form(model, id, SubscriptionForm.of(s), List.of(), s.hasSecret());
  }

  @PostMapping("/subscriptions")
  String create(
      @ModelAttribute SubscriptionForm form,
      Authentication user,
      Model model,
      RedirectAttributes redirect) {
    List<String> problems = new ArrayList<>();
    SubscriptionRequest request = form.toRequest(problems);
    if (!problems.isEmpty()) {
      return form(model, "", form, problems, false);
    }
    AlertServiceClient.Created created;
    try {
      created = alertService.create(request);
    } catch (AlertServiceException e) {
      return form(model, "", form, List.of(e.getMessage()), false);
    }
    audit.record(
        user.getName(), "create subscription", "subscription " + created.id(), "", shown(request));
    redirect.addFlashAttribute("notice", "Subscription created.");
    created
        .generatedSecret()
        .ifPresent(secret -> redirect.addFlashAttribute("generatedSecret", secret));
    return "redirect:/subscriptions/" + created.id();
  }

  @PostMapping("/subscriptions/{id}")
  String update(
      @PathVariable String id,
      @ModelAttribute SubscriptionForm form,
      Authentication user,
      Model model,
      RedirectAttributes redirect) {
    Subscription before = alertService.subscription(id);
    List<String> problems = new ArrayList<>();
    SubscriptionRequest request = form.toRequest(problems);
    if (!problems.isEmpty()) {
      return form(model, id, form, problems, before.hasSecret());
    }
    Subscription after;
    try {
      after = alertService.replace(id, request);
    } catch (AlertServiceException e) {
      return form(model, id, form, List.of(e.getMessage()), before.hasSecret());
    }
    audit.record(
        user.getName(),
        "change subscription",
        "subscription " + id,
        json.writeValueAsString(before),
        json.writeValueAsString(after));
    redirect.addFlashAttribute("notice", "Subscription saved.");
    return "redirect:/subscriptions/" + id;
  }

  /** Asks before deleting: the page's form is what deletes (no script needed under the CSP). */
  @GetMapping("/subscriptions/{id}/delete")
  String confirmDelete(@PathVariable String id, Model model) {
    model.addAttribute("s", alertService.subscription(id));
    model.addAttribute("parked", alertService.parked(Optional.of(id), 1000).size());
    return "subscriptions/delete";
  }

  /**
   * Deletes only when the confirmation page's form says so ({@code confirm=yes}); any other post
   * (an old page's button, a stray request) is sent to the confirmation page.
   */
  @PostMapping("/subscriptions/{id}/delete")
  String delete(
      @PathVariable String id,
      @RequestParam(name = Confirmation.FIELD, defaultValue = "") String confirm,
      Authentication user,
      RedirectAttributes redirect) {
    if (!Confirmation.given(confirm)) {
      return "redirect:/subscriptions/" + id + "/delete";
    }
    Subscription before = alertService.subscription(id);
    alertService.delete(id);
    audit.record(
        user.getName(),
        "delete subscription",
        "subscription " + id,
        json.writeValueAsString(before),
        "");
    redirect.addFlashAttribute("notice", "Subscription " + before.name() + " deleted.");
    return "redirect:/subscriptions";
  }

  /** An htmx fragment: what the receiver answered to a test alert, or why there is no answer. */
  @PostMapping("/subscriptions/{id}/test")
  String test(@PathVariable String id, Authentication user, Model model) {
    try {
      TestSend result = alertService.testSend(id);
      audit.record(user.getName(), "send test alert", "subscription " + id, "", result.result());
      model.addAttribute("result", result);
    } catch (AlertServiceException e) {
      model.addAttribute("error", e.getMessage());
    }
    return "subscriptions/test-result :: result";
  }

  private String form(
      Model model, String id, SubscriptionForm form, List<String> problems, boolean hasSecret) {
    model.addAttribute("pageTitle", id.isEmpty() ? "New subscription" : "Edit " + form.name());
    model.addAttribute("id", id);
    model.addAttribute("form", form);
    model.addAttribute("problems", problems);
    model.addAttribute("hasSecret", hasSecret);
    model.addAttribute("severities", SubscriptionForm.SEVERITIES);
    return "subscriptions/form";
  }

  /** The request as the audit log keeps it: the secret is never written down. */
  private String shown(SubscriptionRequest request) {
    return json.writeValueAsString(
        new SubscriptionRequest(
            request.name(),
            request.type(),
            request.enabled(),
            request.match(),
            request.minSeverity(),
            request.url(),
            request.secret().isEmpty() ? "" : "(set)",
            request.to(),
            request.grouping(),
            request.throttle()));
  }
}
