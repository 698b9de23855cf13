package io.vigil.alert.egress;

/** A webhook URL that the service refuses to call, with the reason. */
public class UnsafeUrlException extends RuntimeException {
  public UnsafeUrlException(String reason) {
    super(reason);
  }
}
