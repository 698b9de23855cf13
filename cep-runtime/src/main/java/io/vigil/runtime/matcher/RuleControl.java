package io.vigil.runtime.matcher;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleGeneration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.BroadcastState;

/**
 * The matcher's side of a rule command: the book decides, this applies the decision to the
 * instance: the broadcast state, the generations to release on every key, the drains to time, one
 * status per affected rule.
 */
final class RuleControl {

  private final RuleBook book;
  private final RuleRuntimes runtimes;
  private final Consumer<RuleStatus> statuses;
  private final int subtask;
  private final int parallelism;

  RuleControl(
      RuleBook book,
      RuleRuntimes runtimes,
      Consumer<RuleStatus> statuses,
      int subtask,
      int parallelism) {
    this.book = book;
    this.runtimes = runtimes;
    this.statuses = statuses;
    this.subtask = subtask;
    this.parallelism = parallelism;
  }

  void apply(RuleCommand command, long watermark, BroadcastState<String, String> stored)
      throws Exception {
    List<RuleBook.ActiveRule> familiesBefore = book.families();
    for (RuleBook.Outcome outcome : book.apply(afterWatermark(command, watermark))) {
      startDrains(watermark);
      Optional<String> json = book.serialize(outcome.ruleId());
      if (outcome.state() != RuleStatus.State.REJECTED && json.isPresent()) {
        stored.put(outcome.ruleId(), json.get());
      }
      for (RuleGeneration generation : outcome.releasedGenerations()) {
        runtimes.release(generation);
      }
      statuses.accept(
          new RuleStatus(
              outcome.ruleId(),
              outcome.version(),
              subtask,
              parallelism,
              outcome.state(),
              outcome.message(),
              System.currentTimeMillis()));
    }
    // Previous versions whose partial matches have all completed or timed out by now.
    for (RuleGeneration ended : book.endDrains(watermark)) {
      runtimes.release(ended);
      Optional<String> json = book.serialize(ended.ruleId());
      if (json.isPresent()) {
        stored.put(ended.ruleId(), json.get());
      }
    }
    releaseFamiliesWithoutMembers(familiesBefore);
    runtimes.follow(book.active(), book.families());
  }

  /**
   * The command with its rule active from the first event still to be processed at the earliest:
   * those at or before the watermark have been processed (or are late), so the rule could never see
   * them, and its {@code activeFrom} says so. That matters to families: a member takes only the
   * shared partial matches that began at or after its {@code activeFrom}, as its own NFA, created
   * now, would hold none begun earlier.
   */
  static RuleCommand afterWatermark(RuleCommand command, long watermark) {
    if (command instanceof RuleCommand.UpsertRule upsert
        && watermark != Long.MIN_VALUE
        && watermark != Long.MAX_VALUE
        && upsert.activeFrom() <= watermark) {
      return upsert.withActiveFrom(watermark + 1);
    }
    return command;
  }

  /** A family whose last member went is released on every key (it keeps no state then). */
  private void releaseFamiliesWithoutMembers(List<RuleBook.ActiveRule> before) throws Exception {
    java.util.Set<String> now = new java.util.HashSet<>();
    for (RuleBook.ActiveRule family : book.families()) {
      now.add(family.stateId());
    }
    for (RuleBook.ActiveRule family : before) {
      if (!now.contains(family.stateId())) {
        runtimes.release(family.ruleGeneration());
      }
    }
  }

  /**
   * A new drain ends when the watermark has passed the switch by the previous version's window: its
   * partial matches all started at or before the watermark of the switch. Without a window it lasts
   * until the next command for the rule (or the idle-key TTL).
   */
  private void startDrains(long watermark) throws Exception {
    for (RuleBook.Drain drain : book.drains()) {
      if (drain.until() == Long.MIN_VALUE) {
        long window = runtimes.of(drain.rule()).nfa.getWindowTime();
        long until =
            window > 0 && watermark != Long.MIN_VALUE ? watermark + window : Long.MAX_VALUE;
        book.drainUntil(drain.rule().stateId(), until);
      }
    }
  }
}
