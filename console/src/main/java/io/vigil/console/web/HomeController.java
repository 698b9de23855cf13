package io.vigil.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The start page is the rules list. */
@Controller
class HomeController {
  @GetMapping("/")
  String home() {
    return "redirect:/rules";
  }
}
