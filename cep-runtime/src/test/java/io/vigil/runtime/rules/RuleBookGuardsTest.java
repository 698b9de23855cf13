package io.vigil.runtime.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whatever goes wrong while a rule or a stream is built becomes a REJECTED outcome, and the limits
 * on live rules, version jumps and unknown ids hold; the book keeps working afterwards.
 */
class RuleBookGuardsTest {

  static final String STREAM =
      """
      stream readings
        time ts
        lateness 5s
        fields
          sensor: string
          note: string
          ts: timestamp
      """;

  static String rule(String id, String condition) {
    return """
        rule %s
          from readings
          partition by sensor
          pattern
            a: %s
          alert "seen on {sensor}"
        """
        .formatted(id, condition);
  }

  /** A condition nested {@code depth} parentheses deep. */
  static String nested(int depth) {
    return "(".repeat(depth) + "note == \"x\"" + ")".repeat(depth);
  }

  private static RuleCommand.UpsertRule upsert(String id, long version, String source) {
    return new RuleCommand.UpsertRule(id, version, source, Long.MIN_VALUE, false);
  }

  private static RuleBook.Outcome only(List<RuleBook.Outcome> outcomes) {
    assertThat(outcomes).hasSize(1);
    return outcomes.get(0);
  }

  /** The outcome's state, described by its message when it is not the expected one. */
  private static org.assertj.core.api.AbstractComparableAssert<?, RuleStatus.State> state(
      List<RuleBook.Outcome> outcomes) {
    RuleBook.Outcome outcome = only(outcomes);
    return assertThat(outcome.state()).as(outcome.message());
  }

  private RuleBook book(RuleBuilder builder, RuleLimits limits) {
    RuleBook book = new RuleBook(builder, limits);
    state(book.apply(new RuleCommand.DeclareStream("readings", 1, STREAM)))
        .isEqualTo(RuleStatus.State.ACTIVE);
    return book;
  }

  private RuleBook book() {
    return book(new CompilingRuleBuilder(), RuleLimits.defaults());
  }

  @Test
  void aStreamWhoseLatenessOverflowsIsRejectedAndTheStreamStaysAsItWas() {
    RuleBook book = book();
    RuleBook.Outcome outcome =
        only(
            book.apply(
                new RuleCommand.DeclareStream(
                    "readings",
                    2,
                    STREAM.replace("lateness 5s", "lateness 99999999999999999999s"))));
    assertThat(outcome.state()).isEqualTo(RuleStatus.State.REJECTED);
    assertThat(outcome.ruleId()).isEqualTo("stream:readings");
    assertThat(outcome.message()).isNotBlank();
    assertThat(book.stream("readings").orElseThrow().lateness()).hasSeconds(5);
    state(book.apply(upsert("ok", 1, rule("ok", "note == \"x\""))))
        .isEqualTo(RuleStatus.State.ACTIVE);
  }

  @Test
  void aRuleNestedTooDeeplyIsRejectedWhetherTheCompilerReportsItOrOverflowsItsStack() {
    RuleBook book = book();
    RuleBook.Outcome outcome = only(book.apply(upsert("deep", 1, rule("deep", nested(50_000)))));
    assertThat(outcome.state()).isEqualTo(RuleStatus.State.REJECTED);
    assertThat(outcome.message())
        .isNotBlank()
        .hasSizeLessThan(GuardedRuleBuilder.MAX_MESSAGE + 100);
    state(book.apply(upsert("ok", 1, rule("ok", nested(3))))).isEqualTo(RuleStatus.State.ACTIVE);
    assertThat(book.liveRules()).isEqualTo(1);
  }

  @Test
  void anyErrorOfTheBuilderBecomesARejectionWithItsReason() {
    RuleBuilder failing =
        new RuleBuilder() {
          private final CompilingRuleBuilder real = new CompilingRuleBuilder();

          @Override
          public StreamSchema declareStream(
              RuleCommand.DeclareStream command, Map<String, StreamSchema> known)
              throws RuleRejectedException {
            return real.declareStream(command, known);
          }

          @Override
          public MatchingRule buildRule(
              RuleCommand.UpsertRule command, Map<String, StreamSchema> streams)
              throws RuleRejectedException {
            switch (command.ruleId()) {
              case "oom" -> throw new OutOfMemoryError("Java heap space");
              case "soe" -> throw new StackOverflowError();
              case "npe" -> throw new NullPointerException("boom");
              default -> {
                return real.buildRule(command, streams);
              }
            }
          }
        };
    RuleBook book = book(failing, RuleLimits.defaults());
    assertThat(only(book.apply(upsert("oom", 1, rule("oom", "note == \"x\"")))).message())
        .isEqualTo("rule oom rejected: it is too large to be built (out of memory)");
    assertThat(only(book.apply(upsert("soe", 1, rule("soe", "note == \"x\"")))).message())
        .isEqualTo("rule soe rejected: it is nested too deeply to be built (stack overflow)");
    assertThat(only(book.apply(upsert("npe", 1, rule("npe", "note == \"x\"")))).message())
        .contains("java.lang.NullPointerException: boom");
    state(book.apply(upsert("ok", 1, rule("ok", "note == \"x\""))))
        .isEqualTo(RuleStatus.State.ACTIVE);
  }

  @Test
  void beyondTheLiveRuleLimitANewRuleIsRejectedButRunningOnesCanBeUpdated() {
    RuleBook book = book(new CompilingRuleBuilder(), new RuleLimits(2, 1_000_000, 10));
    book.apply(upsert("r1", 1, rule("r1", "note == \"1\"")));
    book.apply(upsert("r2", 1, rule("r2", "note == \"2\"")));
    RuleBook.Outcome third = only(book.apply(upsert("r3", 1, rule("r3", "note == \"3\""))));
    assertThat(third.state()).isEqualTo(RuleStatus.State.REJECTED);
    assertThat(third.message()).contains("already runs 2 rules").contains("rules.max-live");
    state(book.apply(upsert("r2", 2, rule("r2", "note == \"22\""))))
        .isEqualTo(RuleStatus.State.ACTIVE);
    book.apply(new RuleCommand.DisableRule("r1", 2));
    state(book.apply(upsert("r3", 1, rule("r3", "note == \"3\""))))
        .isEqualTo(RuleStatus.State.ACTIVE);
    // r1 was disabled: enabling it again is a new live rule, over the limit.
    state(book.apply(upsert("r1", 3, rule("r1", "note == \"1\""))))
        .isEqualTo(RuleStatus.State.REJECTED);
    assertThat(book.liveRules()).isEqualTo(2);
  }

  @Test
  void anAbsurdVersionIsRejectedSoItCannotLockTheRule() {
    RuleBook book = book(new CompilingRuleBuilder(), new RuleLimits(10, 1_000, 10));
    RuleBook.Outcome max =
        only(book.apply(upsert("r", Long.MAX_VALUE, rule("r", "note == \"x\""))));
    assertThat(max.state()).isEqualTo(RuleStatus.State.REJECTED);
    assertThat(max.message())
        .isEqualTo(
            "version 9223372036854775807 is more than 1000 above the current version 0"
                + " (rules.max-version-jump)");
    state(book.apply(upsert("r", 5, rule("r", "note == \"x\""))))
        .isEqualTo(RuleStatus.State.ACTIVE);
    state(book.apply(upsert("r", 1_006, rule("r", "note == \"y\""))))
        .isEqualTo(RuleStatus.State.REJECTED);
    state(book.apply(new RuleCommand.DisableRule("r", Long.MAX_VALUE)))
        .isEqualTo(RuleStatus.State.REJECTED);
    assertThat(book.apply(new RuleCommand.DeclareStream("readings", Long.MAX_VALUE, STREAM)).get(0))
        .extracting(RuleBook.Outcome::state)
        .isEqualTo(RuleStatus.State.REJECTED);
    // The rule can still move on, one step at a time or up to the limit.
    state(book.apply(upsert("r", 1_005, rule("r", "note == \"y\""))))
        .isEqualTo(RuleStatus.State.ACTIVE);
    assertThat(book.entry("r").orElseThrow().version()).isEqualTo(1_005);
  }

  @Test
  void commandsForUnknownIdsAreRememberedOnlyUpToTheLimit() {
    RuleBook book = book(new CompilingRuleBuilder(), new RuleLimits(10, 1_000, 2));
    book.apply(new RuleCommand.DisableRule("x1", 7));
    book.apply(new RuleCommand.DisableRule("x2", 7));
    RuleBook.Outcome third = only(book.apply(new RuleCommand.DisableRule("x3", 7)));
    assertThat(third.state()).isEqualTo(RuleStatus.State.DISABLED);
    assertThat(third.message()).contains("not remembered").contains("rules.max-unknown-ids");
    // A deletion of an unknown id has nothing to remember.
    book.apply(new RuleCommand.DeleteRule("x4"));
    assertThat(book.entries()).hasSize(2);
    assertThat(book.unknownIdsNotKept()).isEqualTo(1);
    // A remembered disable still protects its version.
    state(book.apply(upsert("x1", 3, rule("x1", "note == \"x\""))))
        .isEqualTo(RuleStatus.State.REJECTED);
  }
}
