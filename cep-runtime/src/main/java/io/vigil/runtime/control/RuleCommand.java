package io.vigil.runtime.control;

import java.util.Objects;

/**
 * One record of the control topic {@code vigil.rules}: what the runtime should do with one rule or
 * stream. The topic is compacted and keyed by {@link #topicKey()}, so that the latest command per
 * rule (and per stream) is what a fresh job reads at start-up. A tombstone (null value) for a rule
 * key means {@link DeleteRule}.
 */
public sealed interface RuleCommand extends java.io.Serializable {

  /** The Kafka key of the command: the rule id, or {@code stream:<name>} for a declaration. */
  String topicKey();

  /** Prefix of control-topic keys that carry stream declarations (rule ids cannot contain ':'). */
  String STREAM_KEY_PREFIX = "stream:";

  /**
   * Adds a rule or replaces it with a newer version.
   *
   * @param activeFrom the rule sees events whose event time is at or after this instant (epoch ms);
   *     {@link Long#MIN_VALUE} for "every event still to be processed"
   * @param letPartialMatchesFinish when the pattern changes, let the partial matches of the
   *     previous version complete (or time out) under that version instead of dropping them; the
   *     previous version starts no new match
   * @param language what {@code source} is written in: the pattern language (the default) or a DRL
   *     decision rule set
   */
  record UpsertRule(
      String ruleId,
      long version,
      String source,
      long activeFrom,
      boolean letPartialMatchesFinish,
      Language language)
      implements RuleCommand {
    public UpsertRule {
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(language, "language");
    }

    /** A rule in the pattern language. */
    public UpsertRule(
        String ruleId,
        long version,
        String source,
        long activeFrom,
        boolean letPartialMatchesFinish) {
      this(ruleId, version, source, activeFrom, letPartialMatchesFinish, Language.VGL);
    }

    /** The same command, active from {@code activeFrom}. */
    public UpsertRule withActiveFrom(long activeFrom) {
      return new UpsertRule(ruleId, version, source, activeFrom, letPartialMatchesFinish, language);
    }

    @Override
    public String topicKey() {
      return ruleId;
    }
  }

  /** The language of a rule's source; its JSON form is {@link #keyword()}. */
  enum Language {
    /** The pattern language (docs/language.md). */
    VGL,
    /** A Drools DRL decision rule set (docs/drools.md). */
    DRL;

    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Stops a rule and releases its state; a later upsert starts it again with fresh state. */
  record DisableRule(String ruleId, long version) implements RuleCommand {
    public DisableRule {
      Objects.requireNonNull(ruleId, "ruleId");
    }

    @Override
    public String topicKey() {
      return ruleId;
    }
  }

  /** Removes a rule and releases its state (also what a tombstone on the control topic means). */
  record DeleteRule(String ruleId) implements RuleCommand {
    public DeleteRule {
      Objects.requireNonNull(ruleId, "ruleId");
    }

    @Override
    public String topicKey() {
      return ruleId;
    }
  }

  /** Declares (or re-declares) an event stream: its source text in the rule language. */
  record DeclareStream(String stream, long version, String source) implements RuleCommand {
    public DeclareStream {
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(source, "source");
    }

    @Override
    public String topicKey() {
      return STREAM_KEY_PREFIX + stream;
    }
  }

  /** The version {@code command} carries; 0 for a delete (a tombstone carries none). */
  static long versionOf(RuleCommand command) {
    if (command instanceof UpsertRule u) {
      return u.version();
    } else if (command instanceof DisableRule d) {
      return d.version();
    } else if (command instanceof DeclareStream s) {
      return s.version();
    }
    return 0;
  }
}
