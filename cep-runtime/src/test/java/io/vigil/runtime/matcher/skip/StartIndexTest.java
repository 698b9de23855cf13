package io.vigil.runtime.matcher.skip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.Samples;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The start-value index leaves a rule out only when its start condition cannot hold: which
 * conditions yield a required value, and which rules an event meets. (That the matcher gives the
 * same matches with it is the differential tests' job: the sample rules have indexed starts.)
 */
class StartIndexTest {

  // payments: eventId, cardId, accountId, amount, currency, merchant, country, status, …
  private static final int MERCHANT = 5;
  private static final int COUNTRY = 6;
  private static final int STATUS = 7;

  private final CompilingRuleBuilder builder = new CompilingRuleBuilder();
  private final Map<String, StreamSchema> streams = streams();

  private Map<String, StreamSchema> streams() {
    try {
      String source = Files.readString(Samples.dir().resolve("streams.vgl"));
      Map<String, StreamSchema> known = new HashMap<>();
      known.put(
          "payments",
          builder.declareStream(
              new RuleCommand.DeclareStream(
                  "payments", 1, source.substring(0, source.indexOf("stream logins"))),
              known));
      return known;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private MatchingRule rule(String id, String pattern) throws Exception {
    String source =
        "rule "
            + id
            + "\n  from payments\n  partition by cardId\n  pattern\n"
            + pattern.indent(4)
            + "  within 10m\n  alert \"x\"\n";
    return builder.buildRule(new RuleCommand.UpsertRule(id, 1, source, 0, false), streams);
  }

  private static Event payment(String merchant) {
    return payment(merchant, "FR", "APPROVED");
  }

  private static Event payment(String merchant, String country, String status) {
    return new Event(
        "payments",
        1L,
        new Object[] {
          "p1", "c1", "a1", new BigDecimal("10.00"), "EUR", merchant, country, status, "WEB", 1L
        });
  }

  @Test
  void aRequiredStringEqualityOfTheOnlyStartStageIsIndexed() throws Exception {
    assertThat(rule("a", "a: merchant == \"m1\" and amount > 5\nthen b: amount > 1").startValues())
        .containsExactly(new MatchingRule.StartValue("payments", MERCHANT, "m1"));
    assertThat(rule("b", "a: amount > 5 and \"m2\" == merchant\nnext b: amount > 1").startValues())
        .containsExactly(new MatchingRule.StartValue("payments", MERCHANT, "m2"));
  }

  @Test
  void everyRequiredStringEqualityOfTheStartStageIsIndexedTogether() throws Exception {
    assertThat(
            rule(
                    "a",
                    "a: status == \"DECLINED\" and amount > 5 and country == \"FR\"\nthen b: amount > 1")
                .startValues())
        .containsExactly(
            new MatchingRule.StartValue("payments", COUNTRY, "FR"),
            new MatchingRule.StartValue("payments", STATUS, "DECLINED"));
    List<RuleBook.ActiveRule> readers =
        List.of(
            new RuleBook.ActiveRule(
                rule("fr", "a: status == \"DECLINED\" and country == \"FR\"\nthen b: amount > 1"),
                1,
                0,
                "fr/1",
                false),
            new RuleBook.ActiveRule(
                rule("us", "a: country == \"US\" and status == \"DECLINED\"\nthen b: amount > 1"),
                1,
                0,
                "us/1",
                false),
            new RuleBook.ActiveRule(
                rule("m1", "a: merchant == \"m1\"\nthen b: amount > 1"), 1, 0, "m1/1", false));
    StartIndex index = new StartIndex("payments", readers);
    assertThat(candidates(index, payment("m1", "FR", "DECLINED"))).isEqualTo(bits(0, 2));
    assertThat(candidates(index, payment("m2", "US", "DECLINED"))).isEqualTo(bits(1));
    assertThat(candidates(index, payment("m2", "FR", "APPROVED"))).isEqualTo(bits());
    assertThat(candidates(index, payment("m1", null, "DECLINED"))).isEqualTo(bits(2));
    // Every rule left out really could not start on the event.
    for (String country : new String[] {"FR", "US", "DE"}) {
      for (String status : new String[] {"DECLINED", "APPROVED"}) {
        Event e = payment("m2", country, status);
        BitSet in = candidates(index, e);
        for (int p = 0; p < readers.size(); p++) {
          if (!in.get(p)) {
            assertThat(readers.get(p).rule().mayStart(e)).isFalse();
          }
        }
      }
    }
  }

  @Test
  void conditionsThatDoNotRequireOneValueAreNotIndexed() throws Exception {
    assertThat(rule("a", "a: merchant == \"m1\" or amount > 5\nthen b: amount > 1").startValues())
        .isEmpty();
    assertThat(rule("b", "a: merchant != \"m1\"\nthen b: amount > 1").startValues()).isEmpty();
    assertThat(rule("c", "a: not (merchant == \"m1\")\nthen b: amount > 1").startValues())
        .isEmpty();
    assertThat(rule("d", "a: amount > 5\nthen b: merchant == \"m1\"").startValues()).isEmpty();
  }

  @Test
  void anEventMeetsTheRulesNamingItsValueTheUnindexedAndNoDrainingOne() throws Exception {
    List<RuleBook.ActiveRule> readers =
        List.of(
            new RuleBook.ActiveRule(
                rule("m1", "a: merchant == \"m1\"\nthen b: amount > 1"), 1, 0, "m1/1", false),
            new RuleBook.ActiveRule(
                rule("open", "a: amount > 5\nthen b: amount > 1"), 1, 0, "open/1", false),
            new RuleBook.ActiveRule(
                rule("m2", "a: merchant == \"m2\"\nthen b: amount > 1"), 1, 0, "m2/1", false),
            new RuleBook.ActiveRule(
                rule("old", "a: merchant == \"m1\"\nthen b: amount > 2"), 1, 0, "old/1", true));
    StartIndex index = new StartIndex("payments", readers);

    assertThat(candidates(index, payment("m1"))).isEqualTo(bits(0, 1));
    assertThat(candidates(index, payment("m2"))).isEqualTo(bits(1, 2));
    assertThat(candidates(index, payment("m9"))).isEqualTo(bits(1));
    assertThat(candidates(index, payment(null))).isEqualTo(bits(1));
    assertThat(index.position("old/1")).isEqualTo(3);
    assertThat(index.position("gone/1")).isEqualTo(-1);
    // Every rule left out really could not start on the event.
    for (String merchant : new String[] {"m1", "m2", "m9"}) {
      BitSet in = candidates(index, payment(merchant));
      for (int p = 0; p < 3; p++) {
        if (!in.get(p)) {
          assertThat(readers.get(p).rule().mayStart(payment(merchant))).isFalse();
        }
      }
    }
    assertThat(Optional.of(index.readers())).containsSame(readers);
  }

  private static Event paymentOf(BigDecimal amount) {
    return new Event(
        "payments",
        1L,
        new Object[] {"p1", "c1", "a1", amount, "EUR", "m1", "FR", "APPROVED", "WEB", 1L});
  }

  @Test
  void aRuleThatStartsOnAThresholdIsACandidateOnlyOfEventsPastIt() throws Exception {
    List<RuleBook.ActiveRule> readers =
        List.of(
            active(rule("t500", "a: amount > 500\nthen b: amount > 1")),
            active(rule("t100", "a: 100 < amount and merchant != \"m9\"\nthen b: amount > 1")),
            active(rule("t300", "a: amount >= 300\nthen b: amount > 1")),
            active(rule("small", "a: amount <= 20\nthen b: amount > 1")),
            active(rule("text", "a: merchant > \"m\"\nthen b: amount > 1")));
    StartIndex index = new StartIndex("payments", readers);

    assertThat(candidates(index, paymentOf(new BigDecimal("50")))).isEqualTo(bits(4));
    assertThat(candidates(index, paymentOf(new BigDecimal("300.0")))).isEqualTo(bits(1, 2, 4));
    assertThat(candidates(index, paymentOf(new BigDecimal("500.01")))).isEqualTo(bits(0, 1, 2, 4));
    assertThat(candidates(index, paymentOf(new BigDecimal("20.00")))).isEqualTo(bits(3, 4));
    assertThat(candidates(index, paymentOf(null))).isEqualTo(bits(4));
  }

  /**
   * With any thresholds, sides and amounts (boundaries included), an event is a candidate of
   * exactly the rules whose start condition it passes, when that condition is the bound alone.
   */
  @Property(tries = 60)
  void theCandidatesOfABoundAreExactlyTheRulesItStarts(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 40) Integer> thresholds,
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 3) Integer> sides,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = -2, max = 42) Integer> amounts)
      throws Exception {
    String[] forms = {"amount > %s", "amount >= %s", "%s > amount", "amount <= %s"};
    List<RuleBook.ActiveRule> readers = new java.util.ArrayList<>();
    for (int i = 0; i < thresholds.size(); i++) {
      String threshold = thresholds.get(i) + (i % 2 == 0 ? "" : ".50");
      String start = forms[sides.get(i % sides.size())].formatted(threshold);
      readers.add(active(rule("r" + i, "a: " + start + "\nthen b: amount > 1")));
    }
    StartIndex index = new StartIndex("payments", readers);
    for (int a : amounts) {
      for (BigDecimal amount : List.of(BigDecimal.valueOf(a), new BigDecimal(a + ".50"))) {
        Event e = paymentOf(amount);
        BitSet expected = new BitSet();
        for (int p = 0; p < readers.size(); p++) {
          if (readers.get(p).rule().mayStart(e)) {
            expected.set(p);
          }
        }
        assertThat(candidates(index, e)).as("amount %s", amount).isEqualTo(expected);
      }
    }
  }

  private static RuleBook.ActiveRule active(MatchingRule rule) {
    return new RuleBook.ActiveRule(rule, 1, 0, rule.id() + "/1", false);
  }

  private static BitSet candidates(StartIndex index, Event event) {
    BitSet out = new BitSet();
    index.candidates(event, out);
    return out;
  }

  private static BitSet bits(int... positions) {
    BitSet out = new BitSet();
    for (int p : positions) {
      out.set(p);
    }
    return out;
  }
}
