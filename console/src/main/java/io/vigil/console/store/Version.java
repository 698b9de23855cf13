package io.vigil.console.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One saved version of a rule or a stream declaration.
 *
 * @param number 1, 2, 3, ... per item, never reused
 */
public record Version(int number, String source, String author, Instant savedAt, String comment) {
  public Version {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(savedAt, "savedAt");
    Objects.requireNonNull(comment, "comment");
  }
}
