package io.vigil.compiler.drools;

import static io.vigil.compiler.drools.DecisionCompilerTest.STREAMS;
import static io.vigil.compiler.drools.DecisionCompilerTest.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.diagnostic.SourceFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionSessionTest {

  /** A big payment within 10 minutes after a payment at a casino, on the same card. */
  static final String CASINO_THEN_BIG =
      """
      // vigil: streams payments
      // vigil: partition by cardId
      // vigil: expire after 10m
      package fraud.fusion;

      rule "big payment soon after a casino"
      when
        $c : payments( merchant == "Casino" )
        $p : payments( amount > 500, this after[0s,10m] $c )
      then
        alerts.raise("Casino then big").message($p.getCardId() + " " + $p.getAmount()).key("" + $c.getTs());
      end
      """;

  static DecisionRuleSet compile(String drl, DecisionLimits limits) {
    DecisionCompilation c = DecisionCompiler.compile(new SourceFile("f.drl", drl), STREAMS, limits);
    assertThat(c.diagnostics()).isEmpty();
    return c.ruleSet().orElseThrow();
  }

  static long min(int minutes) {
    return 1_700_000_000_000L + minutes * 60_000L;
  }

  static List<String> titles(List<RaisedAlert> alerts) {
    return alerts.stream().map(RaisedAlert::text).toList();
  }

  @Test
  void a_temporal_rule_fires_on_event_time_and_not_after_the_facts_expired() {
    DecisionRuleSet rules = compile(CASINO_THEN_BIG, DecisionLimits.defaults());
    assertThat(rules.stateful()).isTrue();
    try (DecisionSession session = rules.openSession()) {
      assertThat(session.insert(payment("c1", "20", "Casino", min(0)))).isEmpty();
      assertThat(titles(session.insert(payment("c1", "900", "Shop", min(9)))))
          .containsExactly("c1 900");
      // 11 minutes after the casino: out of the window, and the casino fact expired.
      assertThat(session.insert(payment("c1", "950", "Shop", min(11)))).isEmpty();
      assertThat(session.facts())
          .extracting(e -> e.value(1).toString())
          .containsExactly("900", "950");
      assertThat(session.nextExpiry()).hasValue(min(19));
    }
  }

  /** A casino payment with no shop payment on the card within the next 15 minutes. */
  static final String CASINO_NOT_FOLLOWED =
      """
      // vigil: streams payments
      // vigil: partition by cardId
      // vigil: expire after 15m
      package fraud.absence;

      rule "no shop payment within 15 minutes after a casino"
      when
        $c : payments( merchant == "Casino" )
        not payments( merchant == "Shop", this after[1ms,14m59s999ms] $c )
      then
        alerts.raise("Casino alone").message($c.getCardId() + " " + $c.getAmount());
      end
      """;

  @Test
  void an_absence_fires_when_the_clock_reaches_its_deadline_and_not_before() {
    DecisionRuleSet rules = compile(CASINO_NOT_FOLLOWED, DecisionLimits.defaults());
    try (DecisionSession session = rules.openSession()) {
      assertThat(session.insert(payment("c1", "20", "Casino", min(0)))).isEmpty();
      // The last instant a shop payment would still answer it, 14:59.999 later.
      long deadline = min(15) - 1;
      assertThat(session.nextDue()).hasValue(deadline);
      assertThat(session.advanceTo(deadline - 1)).isEmpty();
      assertThat(titles(session.advanceTo(deadline))).containsExactly("c1 20");
      assertThat(session.nextDue()).hasValue(min(15));
      assertThat(session.advanceTo(min(15))).isEmpty();
      assertThat(session.facts()).isEmpty();
      assertThat(session.nextDue()).isEmpty();
    }
  }

  @Test
  void an_event_at_the_last_instant_of_an_absence_still_answers_it() {
    DecisionRuleSet rules = compile(CASINO_NOT_FOLLOWED, DecisionLimits.defaults());
    try (DecisionSession session = rules.openSession()) {
      session.insert(payment("c1", "20", "Casino", min(0)));
      assertThat(session.insert(payment("c1", "5", "Shop", min(15) - 1))).isEmpty();
      assertThat(session.advanceTo(min(60))).isEmpty();
    }
  }

  @Test
  void moving_the_clock_past_several_deadlines_fires_each_in_time_order() {
    DecisionRuleSet rules = compile(CASINO_NOT_FOLLOWED, DecisionLimits.defaults());
    try (DecisionSession session = rules.openSession()) {
      session.insert(payment("c1", "1", "Casino", min(0)));
      session.insert(payment("c1", "2", "Casino", min(5)));
      // A shop payment 10 minutes after the second casino answers it, not the first (15 min).
      assertThat(titles(session.insert(payment("c1", "3", "Shop", min(15)))))
          .containsExactly("c1 1");
      assertThat(session.advanceTo(min(60))).isEmpty();
    }
  }

  @Test
  void a_session_replayed_from_its_facts_raises_what_the_original_would_have_raised() {
    DecisionRuleSet rules = compile(CASINO_THEN_BIG, DecisionLimits.defaults());
    List<Event> history =
        List.of(
            payment("c1", "20", "Casino", min(0)),
            payment("c1", "900", "Shop", min(3)),
            payment("c1", "10", "Casino", min(5)));
    Event next = payment("c1", "700", "Shop", min(12));
    List<String> original;
    List<Event> facts;
    try (DecisionSession session = rules.openSession()) {
      history.forEach(session::insert);
      facts = session.facts();
      original = titles(session.insert(next));
    }
    List<String> replayed;
    try (DecisionSession restored = rules.openSession()) {
      restored.replay(facts);
      replayed = titles(restored.insert(next));
    }
    // Only the second casino (5 min) is within 10 minutes of 12 min; nothing raised twice.
    assertThat(original).containsExactly("c1 700");
    assertThat(replayed).isEqualTo(original);
  }

  @Test
  void a_key_keeps_at_most_the_configured_number_of_facts_oldest_retracted_first() {
    DecisionRuleSet rules =
        compile(CASINO_THEN_BIG, new DecisionLimits(100, Duration.ofSeconds(5), 2));
    try (DecisionSession session = rules.openSession()) {
      session.insert(payment("c1", "20", "Casino", min(0)));
      session.insert(payment("c1", "1", "Shop", min(1)));
      // The casino fact is retracted by the cap: no alert.
      assertThat(session.insert(payment("c1", "900", "Shop", min(2)))).isEmpty();
      assertThat(session.facts()).hasSize(2);
      assertThat(session.droppedByCap()).isEqualTo(1);
    }
  }

  @Test
  void a_rule_set_whose_rules_loop_is_cut_at_the_firing_limit_and_raises_nothing() {
    String looping =
        """
        // vigil: streams payments
        package loop;

        declare Counter
          n : int
        end

        rule "start"
        when
          payments()
        then
          insert(new Counter(0));
          alerts.raise("started");
        end

        rule "again and again"
        when
          $c : Counter( n >= 0 )
        then
          modify($c) { setN($c.getN() + 1) }
        end
        """;
    DecisionRuleSet rules = compile(looping, new DecisionLimits(500, Duration.ofSeconds(30), 10));
    assertThatThrownBy(() -> rules.decide(payment("c1", "1", "Shop", min(0))))
        .isInstanceOf(DecisionLimitException.class)
        .hasMessageContaining("500 rule firings");
    DecisionRuleSet timed =
        compile(looping, new DecisionLimits(Integer.MAX_VALUE, Duration.ofMillis(50), 10));
    assertThatThrownBy(() -> timed.decide(payment("c1", "1", "Shop", min(0))))
        .isInstanceOf(DecisionLimitException.class)
        .hasMessageContaining("still firing after 50 ms");
  }

  @Test
  void a_temporal_operator_in_a_stateless_rule_set_is_an_error_with_the_directive_as_hint() {
    String stateless = CASINO_THEN_BIG.replace("// vigil: expire after 10m\n", "");
    DecisionCompilation c = DecisionCompiler.compile(new SourceFile("f.drl", stateless), STREAMS);
    assertThat(c.render())
        .contains("f.drl:8:37: error: 'after' needs a stateful session")
        .contains("hint: add a line `// vigil: expire after 10m`");
  }

  @Test
  void the_alerts_of_pattern_rules_are_facts_with_the_rule_sets_key() {
    String escalate =
        """
        // vigil: streams payments
        // vigil: partition by cardId
        // vigil: expire after 1h
        // vigil: alerts of card_testing
        package fraud.escalation;

        rule "card testing then a big payment"
        when
          $a : PatternAlert( ruleId == "card_testing", $card : cardId )
          $p : payments( cardId == $card, amount >= 1000, this after $a )
        then
          alerts.raise("Escalated").severity("critical").references($a).message($a.getTitle() + " then " + $p.getAmount());
        end
        """;
    DecisionRuleSet rules = compile(escalate, DecisionLimits.defaults());
    assertThat(rules.header().alertsOf()).containsExactly("card_testing");
    Event alert =
        PatternAlertFacts.event(
            "a-1",
            "card_testing",
            3,
            "MATCH",
            "high",
            "Card testing",
            "4 tiny charges",
            "",
            List.of("fraud"),
            min(0),
            min(1),
            Map.of("cardId", "c1"),
            List.of("cardId"));
    List<RaisedAlert> raised = new ArrayList<>();
    try (DecisionSession session = rules.openSession()) {
      raised.addAll(session.insert(alert));
      raised.addAll(session.insert(payment("c1", "1200", "Shop", min(2))));
    }
    assertThat(raised)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.severityKeyword()).isEqualTo("critical");
              assertThat(a.text()).isEqualTo("Card testing then 1200");
              assertThat(a.tagList()).containsExactly("references:a-1");
            });
  }
}
