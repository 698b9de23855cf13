package io.vigil.runtime.deploy;

/**
 * A change that cannot be published (an unknown rule or version, a stream that cannot be deleted)
 * or a Kafka failure while reading or publishing; the message says which.
 */
public final class DeployException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeployException(String message) {
    super(message);
  }

  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
