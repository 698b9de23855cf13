package io.vigil.console.rules.deploy;

import io.vigil.console.rules.RuleVersions;
import io.vigil.console.web.Confirmation;
import io.vigil.console.web.NotFound;
import io.vigil.runtime.deploy.DeployException;
import io.vigil.runtime.deploy.Publication;
import java.util.function.Supplier;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Deploy, roll back, disable and delete (admins), and the live rollout fragment. */
@Controller
class DeployController {

  private final Releases releases;
  private final RuleVersions versions;
  private final Deployments deployments;
  private final KafkaProperties kafka;
  private final java.time.Clock clock;

  DeployController(
      Releases releases,
      RuleVersions versions,
      Deployments deployments,
      KafkaProperties kafka,
      java.time.Clock clock) {
    this.releases = releases;
    this.versions = versions;
    this.deployments = deployments;
    this.kafka = kafka;
    this.clock = clock;
  }

  @PostMapping("/rules/{id}/deploy")
  String deploy(
      @PathVariable String id,
      @RequestParam int version,
      Authentication user,
      RedirectAttributes flash) {
    return act(
        id, flash, () -> releases.deploy(id, version, user.getName()), "Deploying v" + version);
  }

  @PostMapping("/rules/{id}/rollback")
  String rollback(
      @PathVariable String id,
      @RequestParam long toVersion,
      Authentication user,
      RedirectAttributes flash) {
    return act(
        id,
        flash,
        () -> releases.rollback(id, toVersion, user.getName()),
        "Rolling back to control version " + toVersion);
  }

  /** Asks before disabling: the page's form is what disables (no script needed under the CSP). */
  @GetMapping("/rules/{id}/disable")
  String confirmDisable(@PathVariable String id, Model model) {
    return confirmation(id, Removal.DISABLE, model);
  }

  /** Asks before deleting from the job, like {@link #confirmDisable}. */
  @GetMapping("/rules/{id}/delete")
  String confirmDelete(@PathVariable String id, Model model) {
    return confirmation(id, Removal.DELETE, model);
  }

  /**
   * Disables only when the confirmation page's form says so ({@code confirm=yes}); any other post
   * (an old page's button, a stray request) is sent to the confirmation page.
   */
  @PostMapping("/rules/{id}/disable")
  String disable(
      @PathVariable String id,
      @RequestParam(name = Confirmation.FIELD, defaultValue = "") String confirm,
      Authentication user,
      RedirectAttributes flash) {
    if (!Confirmation.given(confirm)) {
      return "redirect:/rules/" + id + "/disable";
    }
    return act(id, flash, () -> releases.disable(id, user.getName()), "Disabling");
  }

  /** Deletes from the job only when confirmed, like {@link #disable}. */
  @PostMapping("/rules/{id}/delete")
  String delete(
      @PathVariable String id,
      @RequestParam(name = Confirmation.FIELD, defaultValue = "") String confirm,
      Authentication user,
      RedirectAttributes flash) {
    if (!Confirmation.given(confirm)) {
      return "redirect:/rules/" + id + "/delete";
    }
    return act(id, flash, () -> releases.delete(id, user.getName()), "Deleting from the job");
  }

  private String confirmation(String id, Removal removal, Model model) {
    if (!versions.exists(id)) {
      throw NotFound.of("rule " + id);
    }
    model.addAttribute("id", id);
    model.addAttribute("removal", removal);
    releases.lastRollout(id).ifPresent(ref -> model.addAttribute("ref", ref));
    return "rules/confirm-removal";
  }

  /** Polled by the rule page until the rollout is complete or rejected. */
  @GetMapping("/rules/{id}/rollout")
  String rollout(@PathVariable String id, Model model) {
    model.addAttribute("id", id);
    releases
        .lastRollout(id)
        .ifPresent(
            ref -> {
              model.addAttribute("ref", ref);
              model.addAttribute("status", deployments.rolloutStatus(ref.rollout()));
              model.addAttribute(
                  "following", ref.since().plus(kafka.rolloutTimeout()).isAfter(clock.instant()));
            });
    return "rules/rollout :: rollout";
  }

  private String act(
      String id, RedirectAttributes flash, Supplier<Publication> action, String what) {
    if (!versions.exists(id)) {
      throw NotFound.of("rule " + id);
    }
    try {
      Publication publication = action.get();
      flash.addFlashAttribute(
          "notice",
          publication.changed()
              ? what + ": published as control version " + publication.version() + "."
              : what + ": nothing to publish, the job already has it.");
    } catch (DeployBlockedException e) {
      flash.addFlashAttribute("error", "Not deployed: " + e.getMessage());
    } catch (DeployException | org.apache.kafka.common.KafkaException e) {
      flash.addFlashAttribute("error", what + " failed: " + e.getMessage());
    }
    return "redirect:/rules/" + id;
  }
}
