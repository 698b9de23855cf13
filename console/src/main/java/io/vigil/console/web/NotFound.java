package io.vigil.console.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A 404 for an item that does not exist (the error page shows the reason, never a trace). */
public final class NotFound {
  private NotFound() {}

  public static ResponseStatusException of(String what) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, what + " not found");
  }
}
