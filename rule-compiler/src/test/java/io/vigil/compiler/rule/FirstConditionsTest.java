package io.vigil.compiler.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.junit.jupiter.api.Test;

/**
 * The first stage of a family whose members differ in it passes an event any member's condition
 * passes, and tells each member's answer for that event without asking the condition again.
 */
class FirstConditionsTest {

  /** Amount above a threshold, counting its evaluations. */
  static final class Above extends SimpleCondition<Event> {
    final double threshold;
    final List<Event> seen = new ArrayList<>();

    Above(double threshold) {
      this.threshold = threshold;
    }

    @Override
    public boolean filter(Event event) {
      seen.add(event);
      return ((Number) event.value(0)).doubleValue() > threshold;
    }
  }

  private static FinalStageFamily member(Above first) {
    return new FinalStageFamily(
        "f",
        "b",
        io.vigil.dsl.ast.Sequence.Link.FOLLOWED_BY,
        new Above(0),
        new Above(0),
        Optional.empty(),
        Optional.of(new FinalStageFamily.FirstStage("a", first)),
        true,
        Duration.ofMinutes(10),
        window -> null);
  }

  private static final IterativeCondition.Context<Event> NO_MATCH =
      new IterativeCondition.Context<>() {
        @Override
        public Iterable<Event> getEventsForPattern(String name) {
          return List.of();
        }

        @Override
        public long timestamp() {
          return 0;
        }

        @Override
        public long currentProcessingTime() {
          return 0;
        }
      };

  @Test
  void eachMembersAnswerForTheEventJustTestedComesWithoutAnotherEvaluation() throws Exception {
    Above low = new Above(100);
    Above high = new Above(1000);
    var firsts = FinalStageFamily.firstConditions(List.of(member(low), member(high)));
    Event small = new Event("payments", 1, new Object[] {50.0});
    Event medium = new Event("payments", 2, new Object[] {500.0});

    assertThat(firsts.filter(small, NO_MATCH)).isFalse();
    assertThat(firsts.filter(medium, NO_MATCH)).isTrue();
    assertThat(firsts.passed(medium, 0, NO_MATCH)).isTrue();
    assertThat(firsts.passed(medium, 1, NO_MATCH)).isFalse();
    assertThat(low.seen).containsExactly(small, medium);
    assertThat(high.seen).containsExactly(small, medium);

    // Another event than the one last tested is asked of the member's condition.
    assertThat(firsts.passed(small, 0, NO_MATCH)).isFalse();
    assertThat(low.seen).containsExactly(small, medium, small);
    assertThat(firsts.pattern().getName()).isEqualTo("a");
  }
}
