package io.vigil.console.alertservice;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * A page of the operations features whose data comes from the alert service says in a sentence why
 * it cannot be shown (the service is down, refused the token, or the item is gone) instead of
 * failing: 404 for a missing item, 502 otherwise.
 */
@ControllerAdvice(
    basePackages = {
      "io.vigil.console.subscriptions",
      "io.vigil.console.silences",
      "io.vigil.console.deliveries"
    })
class AlertServiceErrors {
  @ExceptionHandler(AlertServiceException.class)
  ModelAndView unavailable(AlertServiceException e) {
    ModelAndView page = new ModelAndView("alertservice/unavailable");
    page.addObject("message", e.getMessage());
    page.setStatus(e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_GATEWAY);
    return page;
  }
}
