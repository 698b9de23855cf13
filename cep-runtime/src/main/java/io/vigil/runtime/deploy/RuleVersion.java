package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleCommand;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a key's history (topic {@code vigil.rule-versions}, key {@code <key>@<version>}): a
 * command as it was published. A delete has a version here too, so that the version of a rule never
 * repeats.
 */
public record RuleVersion(String key, long version, RuleCommand command, Instant publishedAt) {
  public RuleVersion {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(publishedAt, "publishedAt");
  }

  /** The source of an upsert or a stream declaration; empty for a disable or a delete. */
  public Optional<String> source() {
    return new DeployedCommand(key, command, version, publishedAt).source();
  }

  /** The history record key of {@code key} at {@code version}. */
  static String historyKey(String key, long version) {
    return key + "@" + version;
  }
}
