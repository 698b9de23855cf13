package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleCommand;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest command under one key of the control topic.
 *
 * @param version the command's version; 0 for a delete (a tombstone carries none)
 * @param publishedAt the Kafka timestamp of the record
 */
public record DeployedCommand(String key, RuleCommand command, long version, Instant publishedAt) {
  public DeployedCommand {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(publishedAt, "publishedAt");
  }

  /** The source of an upsert or a stream declaration; empty for a disable or a delete. */
  public java.util.Optional<String> source() {
    if (command instanceof RuleCommand.UpsertRule u) {
      return java.util.Optional.of(u.source());
    } else if (command instanceof RuleCommand.DeclareStream s) {
      return java.util.Optional.of(s.source());
    }
    return java.util.Optional.empty();
  }

  public boolean isStream() {
    return key.startsWith(RuleCommand.STREAM_KEY_PREFIX);
  }
}
