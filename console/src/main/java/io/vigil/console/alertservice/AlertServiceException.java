package io.vigil.console.alertservice;

/**
 * The alert service could not do what the console asked: it did not answer, or it refused. The
 * message is written for the page (it names what to check), never a stack trace.
 *
 * @see #status() the alert service's HTTP status; 0 when it did not answer
 */
public class AlertServiceException extends RuntimeException {
  private final int status;

  public AlertServiceException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean notFound() {
    return status == 404;
  }

  /** True when the request itself was refused (4xx other than the token): the user can fix it. */
  public boolean refused() {
    return status >= 400 && status < 500 && status != 401 && status != 404;
  }
}
