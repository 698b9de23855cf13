package io.vigil.runtime.archive;

/** The alert service could not be reached or refused a query; the message says which and why. */
public final class ArchiveException extends Exception {
  private static final long serialVersionUID = 1L;

  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
