package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a test alert sent to a subscription's receiver did.
 *
 * @param result {@code delivered}, {@code failed} or {@code not-sent}
 * @param status the receiver's HTTP status; 0 when there was none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestSend(String result, int status, String error, long latencyMillis) {
  public TestSend {
    error = error == null ? "" : error;
  }

  public boolean delivered() {
    return "delivered".equals(result);
  }
}
