package io.vigil.alert.model;

/**
 * Whether the runtime emitted the alert for a complete match or for a partial match that timed out.
 */
public enum AlertKind {
  MATCH,
  TIMEOUT
}
