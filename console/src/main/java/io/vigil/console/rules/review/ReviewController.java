package io.vigil.console.rules.review;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Propose (analysts) and approve (admins other than the author and the proposer). */
@Controller
class ReviewController {

  private final Reviews reviews;

  ReviewController(Reviews reviews) {
    this.reviews = reviews;
  }

  @PostMapping("/rules/{id}/propose")
  String propose(
      @PathVariable String id,
      @RequestParam int version,
      @RequestParam(defaultValue = "") String comment,
      Authentication user,
      RedirectAttributes flash) {
    try {
      reviews.propose(id, version, user.getName(), comment);
      flash.addFlashAttribute("notice", "Version " + version + " proposed for deployment.");
    } catch (ReviewException e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/rules/" + id;
  }

  @PostMapping("/rules/{id}/approve")
  String approve(
      @PathVariable String id,
      @RequestParam int version,
      Authentication user,
      RedirectAttributes flash) {
    try {
      reviews.approve(id, version, user.getName());
      flash.addFlashAttribute("notice", "Version " + version + " approved.");
    } catch (ReviewException e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/rules/" + id;
  }
}
