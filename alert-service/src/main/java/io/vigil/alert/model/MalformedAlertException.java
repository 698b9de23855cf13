package io.vigil.alert.model;

/** A record on the alerts topic that is not a valid alert; the message says what is wrong. */
public class MalformedAlertException extends RuntimeException {
  public MalformedAlertException(String reason) {
    super(reason);
  }

  public MalformedAlertException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
