package io.vigil.compiler.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionCompilerTest {

  static final Map<String, StreamSchema> STREAMS =
      RuleCompiler.compile(
              List.of(
                  new SourceFile(
                      "streams.vgl",
                      """
                      stream payments
                        time ts
                        fields
                          cardId: string
                          amount: decimal
                          merchant: string
                          ts: timestamp

                      stream logins
                        time ts
                        fields
                          accountId: string
                          success: boolean
                          ts: timestamp
                      """)))
          .streams();

  static final String BIG_PAYMENT =
      """
      // vigil: streams payments
      // vigil: partition by cardId
      package fraud.risk;

      rule "big payment"
      when
        $p : payments( amount > 500, merchant != "Trusted" )
      then
        alerts.raise("Big payment")
            .severity("high")
            .message("Card " + $p.getCardId() + " paid " + $p.getAmount())
            .tags("fraud")
            .owner("risk-team")
            .key("big");
      end

      rule "any payment at Casino"
      when
        payments( merchant == "Casino" )
      then
        alerts.raise("Casino");
      end
      """;

  static DecisionCompilation compile(String drl) {
    return DecisionCompiler.compile(new SourceFile("risk.drl", drl), STREAMS);
  }

  static Event payment(String card, String amount, String merchant, long ts) {
    return new Event("payments", ts, new Object[] {card, new BigDecimal(amount), merchant, ts});
  }

  @Test
  void a_rule_set_raises_the_alerts_its_consequences_build_in_firing_order() {
    DecisionCompilation compilation = compile(BIG_PAYMENT);
    assertThat(compilation.diagnostics()).isEmpty();
    DecisionRuleSet rules = compilation.ruleSet().orElseThrow();
    assertThat(rules.streams()).containsExactly("payments");
    assertThat(rules.keyFields()).containsExactly("cardId");

    List<RaisedAlert> raised = rules.decide(payment("c1", "600.50", "Casino", 1000));
    assertThat(raised)
        .extracting(RaisedAlert::rule)
        .containsExactlyInAnyOrder("big payment", "any payment at Casino");
    RaisedAlert big =
        raised.stream().filter(a -> a.rule().equals("big payment")).findFirst().orElseThrow();
    assertThat(big.title()).isEqualTo("Big payment");
    assertThat(big.severityKeyword()).isEqualTo("high");
    assertThat(big.text()).isEqualTo("Card c1 paid 600.50");
    assertThat(big.tagList()).containsExactly("fraud");
    assertThat(big.ownerName()).contains("risk-team");
    assertThat(big.dedupKey()).isEqualTo("big");
    RaisedAlert casino =
        raised.stream().filter(a -> a.rule().startsWith("any")).findFirst().orElseThrow();
    assertThat(casino.severityKeyword()).isEqualTo("medium");
    assertThat(casino.text()).isEqualTo("Casino");

    assertThat(rules.decide(payment("c1", "499.99", "Shop", 2000))).isEmpty();
    assertThat(rules.decide(payment("c1", "501", "Trusted", 3000))).isEmpty();
  }

  @Test
  void a_misspelt_field_is_an_error_at_its_position_with_a_hint() {
    DecisionCompilation compilation = compile(BIG_PAYMENT.replace("amount > 500", "amout > 500"));
    assertThat(compilation.ruleSet()).isEmpty();
    Diagnostic d = compilation.diagnostics().get(0);
    assertThat(d.render())
        .isEqualTo(
            """
            risk.drl:7:18: error: stream payments has no field 'amout'
                $p : payments( amout > 500, merchant != "Trusted" )
                               ^~~~~
              hint: did you mean `amount`?
            """);
  }

  @Test
  void a_misspelt_getter_in_a_consequence_is_an_unknown_field() {
    DecisionCompilation compilation =
        compile(BIG_PAYMENT.replace("$p.getCardId()", "$p.getCard()"));
    assertThat(compilation.errors()).isNotEmpty();
    assertThat(compilation.errors().get(0).headline())
        .isEqualTo("risk.drl:11:29: error: stream payments has no field 'card'");
  }

  @Test
  void a_stream_the_header_does_not_name_is_an_error_with_a_hint_to_add_it() {
    DecisionCompilation compilation =
        compile(BIG_PAYMENT.replace("payments( merchant == \"Casino\" )", "logins( success )"));
    Diagnostic d = compilation.errors().get(0);
    assertThat(d.headline()).isEqualTo("risk.drl:19:3: error: unknown stream or type 'logins'");
    assertThat(d.hint())
        .contains("add it to the rule set's streams: `// vigil: streams payments, logins`");
  }

  @Test
  void an_undeclared_stream_in_the_header_is_an_error_with_a_suggestion() {
    DecisionCompilation compilation =
        compile(BIG_PAYMENT.replace("streams payments", "streams paymnts"));
    Diagnostic d = compilation.errors().get(0);
    assertThat(d.headline()).isEqualTo("risk.drl:1:19: error: unknown stream 'paymnts'");
    assertThat(d.hint()).contains("did you mean `payments`?");
  }

  @Test
  void a_rule_set_without_a_streams_header_is_refused() {
    DecisionCompilation compilation =
        compile(BIG_PAYMENT.replace("// vigil: streams payments\n", ""));
    assertThat(compilation.errors())
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("must name the streams it reads"));
  }

  @Test
  void a_partition_field_missing_from_a_stream_is_an_error() {
    DecisionCompilation compilation =
        compile(BIG_PAYMENT.replace("streams payments", "streams payments, logins"));
    assertThat(compilation.errors())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.headline())
                    .isEqualTo(
                        "risk.drl:2:24: error: stream logins has no field 'cardId' to partition by"));
  }

  @Test
  void a_syntax_error_is_reported_at_the_parser_position() {
    DecisionCompilation compilation = compile(BIG_PAYMENT.replace("when\n  $p", "when\n  x y $p"));
    assertThat(compilation.errors()).isNotEmpty();
    assertThat(compilation.errors().get(0).span().line()).isEqualTo(7);
    assertThat(compilation.errors().get(0).render()).contains("^");
  }
}
