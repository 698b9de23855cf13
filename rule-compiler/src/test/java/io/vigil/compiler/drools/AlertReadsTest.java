package io.vigil.compiler.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.CheckedSources;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertReadsTest {

  static final SourceFile STREAMS =
      new SourceFile(
          "streams.vgl",
          """
          stream payments
            time ts
            fields
              cardId: string
              merchant: string
              ts: timestamp
          """);

  static SourceFile reader(String id, String key, String reads) {
    return new SourceFile(
        id + ".drl",
        """
        // vigil: streams payments
        // vigil: partition by %s
        // vigil: expire after 10m
        // vigil: alerts of %s
        package chain.%s;

        rule "escalate"
        when
          $a : PatternAlert()
        then
          alerts.raise("Escalated " + $a.getRuleId());
        end
        """
            .formatted(key, reads, id));
  }

  static String render(SourceFile... files) {
    List<SourceFile> all = new java.util.ArrayList<>(List.of(STREAMS));
    all.addAll(List.of(files));
    StringBuilder out = new StringBuilder();
    CheckedSources.compile(all).compilation().diagnostics().stream()
        .map(Diagnostic::render)
        .forEach(out::append);
    return out.toString();
  }

  @Test
  void a_chain_of_rule_sets_reading_each_others_alerts_is_checked_without_error() {
    assertThat(
            render(
                reader("first", "cardId", "card_testing"),
                reader("second", "cardId", "first"),
                reader("third", "cardId", "first, second")))
        .isEmpty();
  }

  @Test
  void a_rule_set_reading_its_own_alerts_through_a_chain_is_an_error_at_the_name_it_reads() {
    String rendered =
        render(
            reader("first", "cardId", "card_testing, third"),
            reader("second", "cardId", "first"),
            reader("third", "cardId", "second"));
    assertThat(rendered)
        .contains(
            "first.drl:4:35: error: rule set first would read its own alerts:"
                + " first -> third -> second -> first (each reads the alerts of the next)")
        .contains("second.drl:4:21: error: rule set second would read its own alerts")
        .contains("hint: remove one rule set of the chain from an `// vigil: alerts of` line");
  }

  @Test
  void a_rule_set_reading_its_own_alerts_directly_is_refused() {
    DecisionHeader self = DecisionHeader.parse(reader("self", "cardId", "self").text());
    assertThat(AlertReads.refusal("self", self, Map.of()))
        .hasValue(
            "rule set self would read its own alerts: self -> self (each reads the alerts of the"
                + " next)");
  }

  @Test
  void a_reader_of_a_stateful_rule_set_partitioned_otherwise_is_refused_whichever_comes_last() {
    DecisionHeader writer = DecisionHeader.parse(reader("writer", "cardId", "x").text());
    DecisionHeader reader = DecisionHeader.parse(reader("reader", "merchant", "writer").text());
    String expected =
        "rule set reader partitions by (merchant) but reads the alerts of the stateful rule set"
            + " writer, which partitions by (cardId); a rule set reading a stateful rule set's"
            + " alerts partitions by the same fields";
    assertThat(AlertReads.refusal("reader", reader, Map.of("writer", writer))).hasValue(expected);
    assertThat(AlertReads.refusal("writer", writer, Map.of("reader", reader))).hasValue(expected);
    assertThat(render(reader("writer", "cardId", "x"), reader("reader", "merchant", "writer")))
        .contains("reader.drl:4:21: error: " + expected);
  }
}
