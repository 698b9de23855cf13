package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.compiler.event.DecodingLimits;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleRejectedException;
import io.vigil.runtime.rules.compiled.CompiledMatchingRule;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventDecoding;
import io.vigil.runtime.source.EventRecord;
import io.vigil.runtime.source.EventRecordDecoding;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * The job's {@code rules.limits} and {@code events.decoding-limits}: rules and streams are built,
 * and events decoded, within the configured limits, and a rule accepted under raised limits stays
 * readable after serialization.
 */
class ConfiguredLimitsTest {

  private static final String STREAM =
      """
      stream readings
        time ts
        lateness 5s
        fields
          sensor: string
          note: string
          ts: timestamp
      """;

  private static String repeated(String id, int times) {
    return """
        rule %s
          from readings
          partition by sensor
          pattern
            a: note == "x" {%d}
          alert "{sensor}"
        """
        .formatted(id, times);
  }

  @Test
  void emptyOverridesAreTheDefaultsAndUnknownNamesOrValuesFailWithTheOptionsName() {
    JobConfig defaults = JobConfig.defaults();
    assertThat(defaults.get(JobConfig.RULE_LIMITS))
        .isEqualTo(io.vigil.dsl.limits.Limits.defaults());
    assertThat(defaults.get(JobConfig.DECODING_LIMITS))
        .isEqualTo(io.vigil.compiler.event.DecodingLimits.defaults());
    JobConfig set =
        JobConfig.load(
            null,
            Map.of(
                "rules.limits", "quantifier=5, nesting-depth=20",
                "events.decoding-limits", "string-length=8"));
    assertThat(set.get(JobConfig.RULE_LIMITS).quantifier()).isEqualTo(5);
    assertThat(set.get(JobConfig.RULE_LIMITS).nestingDepth()).isEqualTo(20);
    assertThat(set.get(JobConfig.DECODING_LIMITS).stringLength()).isEqualTo(8);
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("rules.limits", "quantifer=5")))
        .hasMessageContaining("rules.limits")
        .hasMessageContaining("quantifer");
    assertThatThrownBy(
            () -> JobConfig.load(null, Map.of("events.decoding-limits", "string-length")))
        .hasMessageContaining("events.decoding-limits");
  }

  @Test
  void rulesBeyondTheConfiguredLimitsAreRejectedAndRaisedLimitsSurviveSerialization()
      throws Exception {
    JobConfig tight = JobConfig.load(null, Map.of("rules.limits", "quantifier=5"));
    CompilingRuleBuilder strict = new CompilingRuleBuilder(tight.get(JobConfig.RULE_LIMITS));
    StreamSchema schema =
        strict.declareStream(new RuleCommand.DeclareStream("readings", 1, STREAM), Map.of());
    Map<String, StreamSchema> streams = Map.of("readings", schema);
    assertThatThrownBy(
            () ->
                strict.buildRule(
                    new RuleCommand.UpsertRule("r", 1, repeated("r", 10), 0L, false), streams))
        .isInstanceOf(RuleRejectedException.class)
        .hasMessageContaining("`quantifier`");

    // 250 is beyond the default quantifier limit (200): only raised limits accept it, and the
    // compiled rule read back from its serialized form is checked within the same raised limits.
    JobConfig raised =
        JobConfig.load(null, Map.of("rules.limits", "quantifier=300,pattern-size=400"));
    CompilingRuleBuilder generous = new CompilingRuleBuilder(raised.get(JobConfig.RULE_LIMITS));
    assertThatThrownBy(
            () ->
                new CompilingRuleBuilder()
                    .buildRule(
                        new RuleCommand.UpsertRule("big", 1, repeated("big", 250), 0L, false),
                        streams))
        .isInstanceOf(RuleRejectedException.class);
    MatchingRule rule =
        generous.buildRule(
            new RuleCommand.UpsertRule("big", 1, repeated("big", 250), 0L, false), streams);
    CompiledRule compiled = ((CompiledMatchingRule) rule).compiled();
    CompiledRule copy = InstantiationUtil.clone(compiled, getClass().getClassLoader());
    assertThat(copy.id()).isEqualTo("big");
    assertThat(InstantiationUtil.clone(generous, getClass().getClassLoader())).isNotNull();
  }

  @Test
  void eventsBeyondTheConfiguredDecodingLimitsAreRefusedWithTheReason() throws Exception {
    JobConfig config = JobConfig.load(null, Map.of("events.decoding-limits", "string-length=8"));
    EventRecordDecoding decoding =
        InstantiationUtil.clone(
            new EventRecordDecoding(config.get(JobConfig.DECODING_LIMITS)),
            getClass().getClassLoader());
    StreamSchema schema =
        new CompilingRuleBuilder()
            .declareStream(new RuleCommand.DeclareStream("readings", 1, STREAM), Map.of());
    String shortNote = "{\"sensor\":\"s1\",\"note\":\"short\",\"ts\":1767225600000}";
    String longNote = "{\"sensor\":\"s1\",\"note\":\"far too long\",\"ts\":1767225600000}";
    EventDecoding.Result ok = decoding.decode(raw(shortNote), Optional.of(schema));
    EventDecoding.Result refused = decoding.decode(raw(longNote), Optional.of(schema));
    assertThat(ok.event()).isPresent();
    assertThat(refused.event()).isEmpty();
    assertThat(refused.reason()).contains("field note").contains("limit of 8");
    assertThat(
            new EventRecordDecoding(DecodingLimits.defaults())
                .decode(raw(longNote), Optional.of(schema))
                .event())
        .isPresent();
  }

  private static EventRecord raw(String payload) {
    return new EventRecord(
        "readings", payload.getBytes(StandardCharsets.UTF_8), "vigil.events.readings", 0, 0);
  }
}
