package io.vigil.console.rules.testing;

/** A test run that could not be made, with the reason a person can act on. */
public class TestRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TestRunException(String message) {
    super(message);
  }

  public TestRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
