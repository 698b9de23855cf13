package io.vigil.compiler.rule;

import static io.vigil.compiler.condition.RequiredBound.Side.ABOVE;
import static io.vigil.compiler.condition.RequiredBound.Side.AT_MOST;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.condition.RequiredBound;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.PatternBuilder;
import io.vigil.dsl.diagnostic.SourceFile;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.junit.jupiter.api.Test;

/**
 * What the compiler tells a runtime about a rule without the runtime parsing it again: the values
 * an event needs to start a match, what a family's final stage can turn away by the event alone,
 * and whether two versions match alike.
 */
class StartRequirementsAndFingerprintTest {

  private static CompiledRule rule(String pattern, String tail) {
    String source =
        "rule r\n  from payments\n  partition by cardId\n  pattern\n" + pattern.indent(4) + tail;
    Compilation c =
        RuleCompiler.compile(
            List.of(new SourceFile("r.vgl", source)), CompiledRuleTest.SAMPLES.streams());
    assertThat(c.diagnostics()).as(c.render()).isEmpty();
    return c.rule("r").orElseThrow();
  }

  private static CompiledRule rule(String pattern) {
    return rule(pattern, "  within 10m\n  alert \"x\"\n");
  }

  private static int field(String name) {
    return CompiledRuleTest.SAMPLES.streams().get("payments").field(name).orElseThrow().index();
  }

  @Test
  void everyStringEqualityOfTheOnlyStartStageIsARequirementInFieldOrder() {
    assertThat(
            rule("a: status == \"DECLINED\" and amount > 5 and \"FR\" == country\nthen b: amount > 1")
                .startRequirements())
        .containsExactly(
            new CompiledRule.StartRequirement("payments", field("country"), "FR"),
            new CompiledRule.StartRequirement("payments", field("status"), "DECLINED"));
  }

  @Test
  void noRequirementWhenTheStartConditionCanHoldWithoutTheValue() {
    assertThat(rule("a: merchant == \"m1\" or amount > 5\nthen b: amount > 1").startRequirements())
        .isEmpty();
    assertThat(rule("a: merchant != \"m1\"\nthen b: amount > 1").startRequirements()).isEmpty();
    assertThat(rule("a: amount > 5\nthen b: merchant == \"m1\"").startRequirements()).isEmpty();
    // Two possible start stages: neither one's value is required.
    assertThat(rule("a: merchant == \"m1\" ?\nthen b: merchant == \"m2\"").startRequirements())
        .isEmpty();
  }

  @Test
  void everyOrderComparisonOfAFieldWithAConstantIsABoundInConditionOrder() {
    List<CompiledRule.StartBound> bounds =
        rule("a: amount > 5 and status == \"DECLINED\" and 100.5 >= amount\nthen b: amount > 1")
            .startBounds();
    assertThat(bounds).extracting(b -> b.bound().side()).containsExactly(ABOVE, AT_MOST);
    assertThat(bounds).extracting(b -> b.bound().field()).containsOnly(field("amount"));
    assertThat(bounds).extracting(CompiledRule.StartBound::stream).containsOnly("payments");
    RequiredBound atMost = bounds.get(1).bound();
    assertThat(atMost.constant()).isEqualTo(new BigDecimal("100.5"));
    assertThat(atMost.admits(new BigDecimal("100.50"))).isTrue();
    assertThat(atMost.admits(new BigDecimal("100.51"))).isFalse();
    assertThat(atMost.admits(null)).isFalse();
    // A negative constant is folded first.
    assertThat(rule("a: amount > -5\nthen b: amount > 1").startBounds())
        .extracting(b -> b.bound().constant())
        .containsExactly(new BigDecimal("-5"));
  }

  @Test
  void noBoundWhenTheStartConditionCanHoldOnEitherSide() {
    assertThat(rule("a: amount > 5 or merchant == \"m1\"\nthen b: amount > 1").startBounds())
        .isEmpty();
    assertThat(rule("a: not (amount > 5)\nthen b: amount > 1").startBounds()).isEmpty();
    assertThat(rule("a: amount * 2 > 5\nthen b: amount > 1").startBounds()).isEmpty();
    assertThat(rule("a: amount != 5\nthen b: amount > 1").startBounds()).isEmpty();
    assertThat(rule("a: amount > 5\nthen b: amount > a.amount").startBounds()).hasSize(1);
    assertThat(rule("a: amount > 5 ?\nthen b: amount > 7").startBounds()).isEmpty();
  }

  @Test
  void aFamilysGuardTurnsAwayWhatTheFinalStageCannotTakeWithoutReadingThePrefix() throws Exception {
    FinalStageFamily split =
        rule(
                "a: amount > 5\nthen b: amount > 900 and country != a.country and status == \"APPROVED\"",
                "  within 10m\n  alert \"x\"\n")
            .finalStageFamily()
            .orElseThrow();
    IterativeCondition<Event> guard = split.guard();
    assertThat(guard).isInstanceOf(SimpleCondition.class).isNotSameAs(split.condition());
    String payment = "{'eventId':'p','cardId':'c','amount':%s,'country':'FR','status':'%s','ts':1}";
    Event large = CompiledRuleTest.event("payments", payment.formatted("950", "APPROVED"));
    Event small = CompiledRuleTest.event("payments", payment.formatted("50", "APPROVED"));
    Event declined = CompiledRuleTest.event("payments", payment.formatted("950", "DECLINED"));
    assertThat(guard.filter(large, null)).isTrue();
    assertThat(guard.filter(small, null)).isFalse();
    assertThat(guard.filter(declined, null)).isFalse();
    // An event of another stream never passes.
    Event login = CompiledRuleTest.event("logins", "{'eventId':'l','accountId':'a','ts':1}");
    assertThat(guard.filter(login, null)).isFalse();

    // A final condition that reads only its event is its own guard.
    FinalStageFamily plain =
        rule("a: amount > 5\nthen b: amount > 900").finalStageFamily().orElseThrow();
    assertThat(plain.guard()).isSameAs(plain.condition());
    assertThat(plain.matchConjuncts()).isEmpty();
  }

  @Test
  void anEventPassingTheGuardPassesTheFinalStageExactlyWhenItPassesTheConjunctsReadingThePrefix()
      throws Exception {
    FinalStageFamily split =
        rule(
                "a: amount > 5\nthen b: amount > 900 and country != a.country and status =="
                    + " \"APPROVED\"",
                "  within 10m\n  alert \"x\"\n")
            .finalStageFamily()
            .orElseThrow();
    PatternBuilder.MatchConjuncts conjuncts = split.matchConjuncts().orElseThrow();
    String payment = "{'eventId':'p','cardId':'c','amount':%s,'country':'%s','ts':1}";
    Event first = CompiledRuleTest.event("payments", payment.formatted("10", "FR"));
    IterativeCondition.Context<Event> afterFirst = prefix(first);
    Event abroad = CompiledRuleTest.event("payments", payment.formatted("950", "DE"));
    Event home = CompiledRuleTest.event("payments", payment.formatted("950", "FR"));
    assertThat(conjuncts.condition().filter(abroad, afterFirst)).isTrue();
    assertThat(conjuncts.condition().filter(home, afterFirst)).isFalse();
    // Another threshold, the same conjuncts on the prefix: written alike.
    FinalStageFamily other =
        rule(
                "a: amount > 5\nthen b: amount > 1900 and country != a.country and status =="
                    + " \"APPROVED\"",
                "  within 10m\n  alert \"x\"\n")
            .finalStageFamily()
            .orElseThrow();
    assertThat(other.matchConjuncts().orElseThrow().form()).isEqualTo(conjuncts.form());
    FinalStageFamily otherField =
        rule("a: amount > 5\nthen b: amount > 900 and merchant != a.merchant")
            .finalStageFamily()
            .orElseThrow();
    assertThat(otherField.matchConjuncts().orElseThrow().form()).isNotEqualTo(conjuncts.form());
  }

  private static IterativeCondition.Context<Event> prefix(Event a) {
    return new IterativeCondition.Context<>() {
      @Override
      public Iterable<Event> getEventsForPattern(String name) {
        return name.equals("a") ? List.of(a) : List.of();
      }

      @Override
      public long timestamp() {
        return 1;
      }

      @Override
      public long currentProcessingTime() {
        return 0;
      }
    };
  }

  @Test
  void metadataAndLayoutKeepTheFingerprintThePatternChangesIt() {
    CompiledRule v1 = rule("a: amount > 5\nthen b: amount > 1");
    CompiledRule retitled =
        rule("a:   amount > 5\nthen   b: amount > 1", "  within 10m\n  alert \"other words\"\n");
    CompiledRule rewindowed =
        rule("a: amount > 5\nthen b: amount > 1", "  within 11m\n  alert \"x\"\n");
    CompiledRule repatterned = rule("a: amount > 6\nthen b: amount > 1");
    assertThat(retitled.matchingFingerprint()).isEqualTo(v1.matchingFingerprint());
    assertThat(rewindowed.matchingFingerprint()).isNotEqualTo(v1.matchingFingerprint());
    assertThat(repatterned.matchingFingerprint()).isNotEqualTo(v1.matchingFingerprint());
  }
}
