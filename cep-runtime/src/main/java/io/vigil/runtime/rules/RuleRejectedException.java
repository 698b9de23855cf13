package io.vigil.runtime.rules;

/** A rule or stream declaration that cannot run; the message is what the status record carries. */
public final class RuleRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  public RuleRejectedException(String message) {
    super(message);
  }
}
