package io.vigil.compiler.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.CompiledRule;
import java.util.List;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.junit.jupiter.api.Test;

/**
 * The texts a stage condition requires of an event: what the runtime may index partial matches by.
 * Only {@code field == text} conjuncts of the top-level {@code and} chain count.
 */
class StageRequirementsTest {

  private static final Event SEEN =
      new Event("readings", 0, new Object[] {"r1", "dev-1", "s7", 20.0, 1.0, 0L});

  /** The condition of stage {@code b} in {@code a: site == "s1" then b: <condition>}. */
  static IterativeCondition<Event> stageB(String condition) {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from readings
              partition by deviceId
              pattern
                a: site == "s1"
                then b: %s
              alert "x"
            """
                .formatted(condition));
    Pattern<Event, Event> b = rule.pattern();
    assertThat(b.getName()).isEqualTo("b");
    return b.getCondition();
  }

  private static StageRequirements requirementsOfB(String condition) {
    return (StageRequirements) stageB(condition);
  }

  private static final MatchView A_SEEN =
      new MatchView() {
        @Override
        public Iterable<Event> events(String stage) {
          return stage.equals("a") ? List.of(SEEN) : List.of();
        }

        @Override
        public Object key(int position) {
          return null;
        }
      };

  @Test
  void aConstantTextInTheAndChainIsRequired() {
    StageRequirements b = requirementsOfB("temperature > 90 and site == \"s3\"");
    assertThat(b.stream()).isEqualTo("readings");
    assertThat(b.requiredValues())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value(MatchView.NONE)).isEqualTo("s3");
              assertThat(r.readsMatch()).isFalse();
            });
  }

  @Test
  void aFieldOfAnEarlierStageIsReadFromThePartialMatch() {
    StageRequirements b = requirementsOfB("\"dev-\" == \"dev-\" and site == a.site");
    assertThat(b.requiredValues())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.readsMatch()).isTrue();
              assertThat(r.value(A_SEEN)).isEqualTo("s7");
            });
  }

  @Test
  void nothingIsRequiredOutsideTheAndChainOrOfAnotherForm() {
    assertThat(requirementsOfB("site == \"s3\" or temperature > 90").requiredValues()).isEmpty();
    assertThat(requirementsOfB("site != \"s3\"").requiredValues()).isEmpty();
    assertThat(requirementsOfB("not (site == \"s3\")").requiredValues()).isEmpty();
    assertThat(requirementsOfB("temperature > 90").requiredValues()).isEmpty();
  }

  @Test
  void theLeadingBoundIsTheFirstBoundThatOnlyComparisonsWithConstantsPrecede() {
    assertThat(requirementsOfB("temperature > 90").leadingBound()).isPresent();
    assertThat(requirementsOfB("temperature > 90").isOnlyLeadingBound()).isTrue();
    assertThat(requirementsOfB("60 > temperature").isOnlyLeadingBound()).isTrue();

    StageRequirements afterAText = requirementsOfB("site == \"s3\" and temperature > 95");
    assertThat(afterAText.leadingBound())
        .hasValueSatisfying(b -> assertThat(b.constant()).isEqualTo(95.0));
    assertThat(afterAText.isOnlyLeadingBound()).isFalse();
    assertThat(requirementsOfB("vibration != 0.5 and temperature >= 80").leadingBound())
        .isPresent();
    assertThat(requirementsOfB("site == null and temperature >= 80").leadingBound()).isPresent();
  }

  @Test
  void noBoundLeadsAfterAConjunctThatCouldFailOrReadsTheMatch() {
    // Arithmetic may overflow, a match field depends on the partial match, `or` is no conjunct.
    assertThat(requirementsOfB("vibration * 2 > 1 and temperature > 95").leadingBound()).isEmpty();
    assertThat(requirementsOfB("site == a.site and temperature > 95").leadingBound()).isEmpty();
    assertThat(requirementsOfB("site matches \"s.*\" and temperature > 95").leadingBound())
        .isEmpty();
    assertThat(requirementsOfB("temperature > 95 or vibration > 1").leadingBound()).isEmpty();
    assertThat(requirementsOfB("temperature > 95 and vibration > 1").isOnlyLeadingBound())
        .isFalse();
  }

  @Test
  void conditionsThatCannotFailAreWrittenOutAndAlikeWhenTheyPassTheSameEvents() {
    assertThat(requirementsOfB("site == \"s3\" and temperature > 90").failureFreeForm())
        .isEqualTo(requirementsOfB("site == \"s3\" and temperature > 90").failureFreeForm())
        .isPresent();
    assertThat(requirementsOfB("not (vibration > 1) or site == null").failureFreeForm())
        .isPresent();
    assertThat(requirementsOfB("temperature > 91").failureFreeForm())
        .isNotEqualTo(requirementsOfB("temperature > 90").failureFreeForm());
    // Forms are compared as expressions, not as text: no constant can pose as structure.
    assertThat(requirementsOfB("site == \"s3, right=x\"").failureFreeForm())
        .isNotEqualTo(requirementsOfB("site == \"s3\"").failureFreeForm());
    assertThat(requirementsOfB("temperature > 90 and site == \"s3\"").failureFreeForm())
        .isNotEqualTo(requirementsOfB("site == \"s3\" and temperature > 90").failureFreeForm());
  }

  @Test
  void aConditionThatCouldFailOrReadsTheMatchHasNoForm() {
    assertThat(requirementsOfB("vibration * 2 > 1").failureFreeForm()).isEmpty();
    assertThat(requirementsOfB("site == a.site").failureFreeForm()).isEmpty();
    assertThat(requirementsOfB("site matches \"s.*\"").failureFreeForm()).isEmpty();
  }
}
