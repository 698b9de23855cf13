package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * A family's work is its members' evaluation: each member's figures are its own plus what each of
 * its families counted while it was in them, as a reporter reads them.
 */
class RuleMetricsTest {

  /** The metrics each rule or family registered, by group and name. */
  private final Map<String, Metric> registered = new HashMap<>();

  private final MetricGroup root = new Recording("");

  @Test
  void aMemberCountsWhatItsFamilyEvaluatesWhileItIsInItAndNothingElse() {
    RuleMetrics family = RuleMetrics.ofFamily(root, "family:f");
    RuleMetrics a = new RuleMetrics(root, "a");
    RuleMetrics b = new RuleMetrics(root, "b");
    family.eventsEvaluated.inc(5);

    family.passOnTo(List.of(a));
    family.eventsEvaluated.inc(3);
    family.stepsSkipped.inc(2);
    family.evaluationNanos.inc(700);
    family.droppedByCap.inc();
    a.eventsEvaluated.inc(10);

    assertThat(count("family:f", "eventsEvaluated")).isEqualTo(8);
    assertThat(count("a", "eventsEvaluated")).isEqualTo(13);
    assertThat(count("a", "stepsSkipped")).isEqualTo(2);
    assertThat(count("a", "evaluationNanos")).isEqualTo(700);
    assertThat(count("a", "droppedByCap")).isEqualTo(1);
    assertThat(count("b", "eventsEvaluated")).isZero();

    // b joins, a leaves: a keeps what the family counted while it was in, b takes from now on.
    family.passOnTo(List.of(b));
    family.eventsEvaluated.inc(4);
    assertThat(count("a", "eventsEvaluated")).isEqualTo(13);
    assertThat(count("b", "eventsEvaluated")).isEqualTo(4);

    // Back in the family: a counts again, on top of what it kept.
    family.passOnTo(List.of(a, b));
    family.eventsEvaluated.inc();
    assertThat(count("a", "eventsEvaluated")).isEqualTo(14);
    assertThat(count("b", "eventsEvaluated")).isEqualTo(5);

    // A family that stops leaves its members what it counted for them.
    family.close();
    family.eventsEvaluated.inc(100);
    assertThat(count("a", "eventsEvaluated")).isEqualTo(14);
    assertThat(count("b", "eventsEvaluated")).isEqualTo(5);
  }

  @Test
  void liveMatchesOfAFamilyAreLiveMatchesOfEachMemberInIt() {
    RuleMetrics family = RuleMetrics.ofFamily(root, "family:f");
    RuleMetrics a = new RuleMetrics(root, "a");
    RuleMetrics b = new RuleMetrics(root, "b");
    family.passOnTo(List.of(a, b));
    family.livePartialMatchesChanged(3);
    a.livePartialMatchesChanged(1);

    assertThat(gauge("a", "livePartialMatches")).isEqualTo(4L);
    assertThat(gauge("b", "livePartialMatches")).isEqualTo(3L);
    assertThat(gauge("family:f", "livePartialMatches")).isEqualTo(3L);

    family.livePartialMatchesChanged(-3);
    assertThat(gauge("a", "livePartialMatches")).isEqualTo(1L);
    assertThat(gauge("b", "livePartialMatches")).isEqualTo(0L);
  }

  @Test
  void aMemberOfTwoFamiliesCountsBoth() {
    RuleMetrics one = RuleMetrics.ofFamily(root, "family:one");
    RuleMetrics two = RuleMetrics.ofFamily(root, "family:two");
    RuleMetrics a = new RuleMetrics(root, "a");
    one.passOnTo(List.of(a));
    two.passOnTo(List.of(a));
    one.eventsEvaluated.inc(2);
    two.eventsEvaluated.inc(3);

    assertThat(count("a", "eventsEvaluated")).isEqualTo(5);
  }

  private long count(String id, String name) {
    return ((Counter) registered.get(id + "/" + name)).getCount();
  }

  private Object gauge(String id, String name) {
    return ((Gauge<?>) registered.get(id + "/" + name)).getValue();
  }

  /** A metric group that keeps what is registered under it, by its {@code rule} or family id. */
  private final class Recording extends UnregisteredMetricsGroup {
    private final String id;

    Recording(String id) {
      this.id = id;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new Recording(value);
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      registered.put(id + "/" + name, counter);
      return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      registered.put(id + "/" + name, gauge);
      return gauge;
    }
  }
}
