package io.vigil.compiler.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.schema.StreamSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.cep.nfa.aftermatch.SkipPastLastStrategy;
import org.junit.jupiter.api.Test;

class CompiledRuleTest {

  static final Compilation SAMPLES = Samples.compile();

  static Event event(String stream, String singleQuoted) {
    StreamSchema schema = SAMPLES.streams().get(stream);
    return new EventDecoder(schema).decode(singleQuoted.replace('\'', '"')).decoded().orElseThrow();
  }

  @Test
  void allSampleRulesCompileWithoutDiagnostics() {
    assertThat(SAMPLES.diagnostics()).isEmpty();
    assertThat(SAMPLES.rules())
        .extracting(CompiledRule::id)
        .containsExactlyInAnyOrder(
            "card_testing",
            "account_takeover",
            "impossible_travel",
            "split_purchases",
            "overheating_unattended",
            "device_silent",
            "repair_overdue",
            "vibration_burst",
            "flapping_sensor");
  }

  @Test
  void exposesWindowSkipStreamsAndKey() {
    CompiledRule rule = SAMPLES.rule("account_takeover").orElseThrow();
    assertThat(rule.streams()).containsExactly("logins", "payments");
    assertThat(rule.keyFields()).containsExactly("accountId");
    assertThat(rule.within()).contains(java.time.Duration.ofMinutes(30));
    assertThat(rule.maxGap()).isEmpty();
    assertThat(SAMPLES.rule("card_testing").orElseThrow().skipStrategy())
        .isInstanceOf(SkipPastLastStrategy.class);
    assertThat(rule.metadata().severity().keyword()).isEqualTo("critical");
  }

  @Test
  void keyIsReadPerStreamAndMissingForOtherStreamsOrMissingFields() {
    CompiledRule rule = SAMPLES.rule("account_takeover").orElseThrow();
    Event login = event("logins", "{'accountId':'a1','success':true,'ts':1}");
    Event payment = event("payments", "{'accountId':'a1','amount':5,'ts':2}");
    Event noKey = event("payments", "{'amount':5,'ts':3}");
    Event reading = event("readings", "{'deviceId':'d','ts':4}");
    assertThat(rule.key(login)).contains(new RuleKey(List.of("accountId"), List.of("a1")));
    assertThat(rule.key(payment)).isEqualTo(rule.key(login));
    assertThat(rule.key(noKey)).isEmpty();
    assertThat(rule.key(reading)).isEmpty();
    assertThat(rule.key(login).orElseThrow().asMap()).isEqualTo(Map.of("accountId", "a1"));
  }

  @Test
  void keyValuesAreTheKeysValuesInTheOrderOfThePartitionFields() {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule by_card_and_country
              from payments
              partition by country, cardId
              pattern
                a: amount > 10
              alert "{cardId}"
            """);
    Event payment = event("payments", "{'cardId':'c1','country':'FR','amount':50,'ts':1}");
    Event noCountry = event("payments", "{'cardId':'c1','amount':50,'ts':2}");
    assertThat(rule.keyValues(payment)).contains(List.of("FR", "c1"));
    assertThat(rule.key(payment))
        .contains(new RuleKey(List.of("country", "cardId"), List.of("FR", "c1")));
    assertThat(rule.keyValues(noCountry)).isEmpty();
    assertThat(rule.key(noCountry)).isEmpty();

    CompiledRule byAccount = SAMPLES.rule("account_takeover").orElseThrow();
    Event login = event("logins", "{'accountId':'a1','success':true,'ts':1}");
    assertThat(byAccount.keyValues(login)).contains(List.of("a1"));
    assertThat(byAccount.keyValues(event("readings", "{'deviceId':'d','ts':4}"))).isEmpty();
  }

  @Test
  void mayStartEvaluatesTheFirstStageWhenItReadsNoOtherStage() {
    CompiledRule rule = SAMPLES.rule("card_testing").orElseThrow();
    assertThat(rule.startStreams()).containsExactly("payments");
    assertThat(
            rule.mayStart(
                event("payments", "{'cardId':'c','amount':1.00,'status':'APPROVED','ts':1}")))
        .isTrue();
    assertThat(
            rule.mayStart(
                event("payments", "{'cardId':'c','amount':100,'status':'APPROVED','ts':1}")))
        .isFalse();
    assertThat(rule.mayStart(event("logins", "{'accountId':'c','ts':1}"))).isFalse();
    // flapping_sensor starts with a group: its first stage decides.
    CompiledRule flapping = SAMPLES.rule("flapping_sensor").orElseThrow();
    assertThat(flapping.mayStart(event("readings", "{'deviceId':'d','temperature':85,'ts':1}")))
        .isTrue();
    assertThat(flapping.mayStart(event("readings", "{'deviceId':'d','temperature':10,'ts':1}")))
        .isFalse();
  }

  @Test
  void mayStartLooksPastOptionalFirstStages() {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              partition by deviceId
              pattern
                a: readings(temperature > 50) ?
                then b: maintenance(action == "X")
              alert "x"
            """);
    assertThat(rule.startStreams()).containsExactly("readings", "maintenance");
    assertThat(rule.mayStart(event("maintenance", "{'deviceId':'d','action':'X','ts':1}")))
        .isTrue();
    assertThat(rule.mayStart(event("maintenance", "{'deviceId':'d','action':'Y','ts':1}")))
        .isFalse();
  }

  @Test
  void rendersAlertsWithIsoTimestampsPlainDecimalsAndRoundedDoubles() {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from readings
              partition by deviceId
              pattern
                a: temperature > 0 {2,} consecutive
                next b: temperature < 0
              within 1h
              alert "{deviceId} {last(a).ts}|{first(a).ts}|{count(a)}|{avg(a.temperature)}|{sum(a.temperature)}|{min(a.temperature)}|{b.temperature * 2}|{b.site}|{b.temperature < -1}"
            """);
    Event a1 = event("readings", "{'deviceId':'d','temperature':10,'ts':'2026-01-05T10:15:00Z'}");
    Event a2 = event("readings", "{'deviceId':'d','temperature':20.5,'ts':'2026-01-05T10:16:00Z'}");
    Event a3 = event("readings", "{'deviceId':'d','temperature':0.1,'ts':'2026-01-05T10:17:00Z'}");
    Event b = event("readings", "{'deviceId':'d','temperature':-0.5,'ts':1767611880000}");
    Map<String, List<Event>> match = Map.of("a", List.of(a1, a2, a3), "b", List.of(b));
    RuleKey key = rule.key(b).orElseThrow();
    assertThat(rule.renderAlert(match, key))
        .contains("d 2026-01-05T10:17:00Z|2026-01-05T10:15:00Z|3|10.2|30.6|0.1|-1.0|null|false");
  }

  @Test
  void havingIsEvaluatedOnTheCompleteMatch() {
    CompiledRule rule = SAMPLES.rule("vibration_burst").orElseThrow();
    Event strong = event("readings", "{'deviceId':'d','vibration':3.5,'ts':1}");
    Event weak = event("readings", "{'deviceId':'d','vibration':2.6,'ts':2}");
    Event calm = event("readings", "{'deviceId':'d','vibration':0.1,'ts':3}");
    assertThat(
            rule.having(
                Map.of("rise", List.of(strong, strong, strong, weak), "calm", List.of(calm))))
        .isTrue();
    assertThat(
            rule.having(Map.of("rise", List.of(weak, weak, weak, strong), "calm", List.of(calm))))
        .isFalse();
    assertThat(SAMPLES.rule("card_testing").orElseThrow().having(Map.of())).isTrue();
  }

  @Test
  void timeoutTemplatesRenderOnlyForRulesWithOne() {
    CompiledRule overdue = SAMPLES.rule("repair_overdue").orElseThrow();
    Event fault = event("maintenance", "{'deviceId':'d7','action':'FAULT','tech':'ann','ts':1}");
    RuleKey key = overdue.key(fault).orElseThrow();
    assertThat(overdue.alertsOnMatch()).isFalse();
    assertThat(overdue.alertsOnTimeout()).isTrue();
    assertThat(overdue.renderTimeout(Map.of("fault", List.of(fault)), key))
        .contains("Device d7: fault reported by ann not fixed within 2h");
    assertThat(overdue.renderAlert(Map.of("fault", List.of(fault)), key)).isEmpty();
  }

  @Test
  void survivesJavaSerializationByRecompilingItsSource() throws Exception {
    for (CompiledRule rule : SAMPLES.rules()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(rule);
      }
      CompiledRule back;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        back = (CompiledRule) in.readObject();
      }
      assertThat(back.id()).isEqualTo(rule.id());
      assertThat(back.schemas()).isEqualTo(rule.schemas());
      assertThat(back.checked().pattern()).isEqualTo(rule.checked().pattern());
      assertThat(back.pattern().toString()).isEqualTo(rule.pattern().toString());
    }
  }

  @Test
  void serializesARuleWhoseSourceAlsoDeclaresItsStream() throws Exception {
    Compilation c =
        RuleCompiler.compile(
            List.of(
                new io.vigil.dsl.diagnostic.SourceFile(
                    "self.vgl",
                    """
                    stream pings
                      time at
                      lateness 1s
                      fields
                        host: string
                        rtt: double
                        at: timestamp
                    rule slow
                      severity low
                      from pings
                      partition by host
                      pattern
                        a: rtt > 100 {2} consecutive
                      alert "{host}: {max(a.rtt)}"
                    """)));
    CompiledRule rule = c.rule("slow").orElseThrow();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rule);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      CompiledRule back = (CompiledRule) in.readObject();
      assertThat(back.schemas()).isEqualTo(rule.schemas());
      assertThat(back.streams()).containsExactly("pings");
    }
  }

  @Test
  void aStructureFlinkRefusesIsADiagnosticAtItsDslPositionNotAnException() {
    Compilation c =
        Samples.compileWithSampleStreams(
            """
            rule gap_too_long
              severity low
              from readings
              partition by deviceId
              pattern
                a: temperature > 1
                then b: temperature > 5
              within 1m
              max gap 2m
              alert "x"
            """);
    assertThat(c.rules()).isEmpty();
    assertThat(c.errors()).hasSize(1);
    assertThat(c.errors().get(0).headline())
        .startsWith("test.vgl:9:11: error: `max gap 2m` is longer than `within 1m`")
        .contains("cannot be larger than the window length between the first and last event");
  }

  @Test
  void compilesWithKnownStreamsOnly() {
    Compilation c =
        RuleCompiler.compile(
            List.of(
                new io.vigil.dsl.diagnostic.SourceFile(
                    "one.vgl",
                    """
                    rule solo
                      severity low
                      from readings
                      partition by deviceId
                      pattern
                        a: temperature > 1
                      alert "{a.temperature}"
                    """)),
            SAMPLES.streams());
    assertThat(c.diagnostics()).isEmpty();
    assertThat(c.rule("solo").map(CompiledRule::streams))
        .isEqualTo(Optional.of(List.of("readings")));
  }
}
