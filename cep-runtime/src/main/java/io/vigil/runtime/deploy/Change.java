package io.vigil.runtime.deploy;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a user asks a {@link Deployer} to do with one rule or stream. The deployer turns it into a
 * {@link RuleCommand} with the next version, or into nothing when it would not change what is
 * deployed.
 */
public sealed interface Change {

  /** The control-topic key: the rule id, or {@code stream:<name>}. */
  String key();

  /** Declares a stream, or re-declares it with another schema. */
  record DeclareStream(String stream, String source) implements Change {
    public DeclareStream {
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(source, "source");
    }

    @Override
    public String key() {
      return RuleCommand.STREAM_KEY_PREFIX + stream;
    }
  }

  /**
   * Adds a rule or replaces its source.
   *
   * @param letPartialMatchesFinish when the pattern changes, let the previous version's partial
   *     matches complete under that version (see docs/runtime.md, Rule lifecycle)
   */
  record UpsertRule(
      String ruleId, String source, boolean letPartialMatchesFinish, RuleCommand.Language language)
      implements Change {
    public UpsertRule {
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(language, "language");
    }

    /** A rule in the pattern language. */
    public UpsertRule(String ruleId, String source, boolean letPartialMatchesFinish) {
      this(ruleId, source, letPartialMatchesFinish, RuleCommand.Language.VGL);
    }

    public UpsertRule(String ruleId, String source) {
      this(ruleId, source, false);
    }

    @Override
    public String key() {
      return ruleId;
    }
  }

  /** Stops a rule and releases its state; an upsert or a rollback starts it again. */
  record DisableRule(String ruleId) implements Change {
    public DisableRule {
      Objects.requireNonNull(ruleId, "ruleId");
    }

    @Override
    public String key() {
      return ruleId;
    }
  }

  /** Removes a rule (a tombstone on the control topic); its history stays. */
  record DeleteRule(String ruleId) implements Change {
    public DeleteRule {
      Objects.requireNonNull(ruleId, "ruleId");
    }

    @Override
    public String key() {
      return ruleId;
    }
  }

  /**
   * Publishes the source of an earlier version again, as a new version.
   *
   * @param key a rule id, or {@code stream:<name>}
   * @param toVersion a version in the key's history that carried a source (an upsert or a stream
   *     declaration)
   */
  record Rollback(String key, long toVersion) implements Change {
    public Rollback {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Every declaration of {@code files} as a change: stream declarations first (rules are compiled
   * against them), then rules in file order. Each declaration's exact text is kept.
   */
  static List<Change> fromSources(List<SourceFile> files) throws RuleSources.SyntaxException {
    List<Change> changes = new ArrayList<>();
    for (RuleCommand command : RuleSources.commands(files, 0)) {
      if (command instanceof RuleCommand.DeclareStream s) {
        changes.add(new DeclareStream(s.stream(), s.source()));
      } else if (command instanceof RuleCommand.UpsertRule u) {
        changes.add(new UpsertRule(u.ruleId(), u.source(), false, u.language()));
      }
    }
    return changes;
  }
}
