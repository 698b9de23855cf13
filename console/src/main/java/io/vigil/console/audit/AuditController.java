package io.vigil.console.audit;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The audit log page (admins only; see the security configuration). */
@Controller
class AuditController {

  private static final int PAGE_SIZE = 200;
  private final AuditLog log;

  AuditController(AuditLog log) {
    this.log = log;
  }

  @GetMapping("/audit")
  String audit(Model model) {
    model.addAttribute("entries", log.latest(PAGE_SIZE));
    return "audit/list";
  }
}
