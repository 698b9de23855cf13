package io.vigil.console.rules.review;

/** A review step that is not allowed, with the reason a person can act on. */
public class ReviewException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReviewException(String message) {
    super(message);
  }
}
