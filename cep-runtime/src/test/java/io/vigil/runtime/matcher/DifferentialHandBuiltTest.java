package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.control.RuleCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The correctness contract on hand-built Flink patterns (every contiguity, loops, windows,
 * negation, timeouts, a cross-stream rule): for random event streams, the dynamic runtime with all
 * rules loaded at once yields exactly the alerts of one static {@code CEP.pattern} operator per
 * rule. Both run in the same Flink job on a MiniCluster with parallelism 2.
 */
class DifferentialHandBuiltTest {

  private static FlinkTestCluster cluster;

  @BeforeContainer
  static void startCluster() throws Exception {
    cluster = new FlinkTestCluster(4);
  }

  @AfterContainer
  static void stopCluster() throws Exception {
    cluster.close();
  }

  record Draft(String stream, String key, String kind, int advance, int jitter) {}

  @Provide
  Arbitrary<List<Draft>> streams() {
    Arbitrary<Draft> draft =
        Combinators.combine(
                Arbitraries.of("s", "s", "s", "t"),
                Arbitraries.of("k1", "k2", "k3"),
                Arbitraries.of("A", "A", "B", "C", "D"),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 4))
            .as(Draft::new);
    return draft.list().ofMinSize(20).ofMaxSize(120);
  }

  /**
   * Timestamps grow by 0–4 ms and are shifted back by up to 4 ms: out of order, but never late for
   * a lateness of 5 ms (late events are dropped by both sides, but at different watermarks).
   */
  static List<Event> events(List<Draft> drafts) {
    List<Event> out = new ArrayList<>();
    long base = 1_000;
    long value = 0;
    for (Draft d : drafts) {
      base += d.advance();
      out.add(HandBuiltRules.event(d.stream(), d.key(), d.kind(), value++, base - d.jitter()));
    }
    return out;
  }

  @Property(tries = 12, seed = "20261125")
  void dynamicRuntimeMatchesStaticCepPerRule(@ForAll("streams") List<Draft> drafts)
      throws Exception {
    List<Event> events = events(drafts);
    Map<String, Long> dynamic = new HashMap<>();
    Map<String, Long> fixed = new HashMap<>();
    run(events, Duration.ZERO, dynamic, fixed);
    Differential.assertSameAlerts(dynamic, fixed);
  }

  /** The same with each key drained over many watermarks (see {@link Differential#run}). */
  @Property(tries = 12, seed = "20261201")
  void theSameWhenEachKeyIsDrainedOverManyWatermarks(@ForAll("streams") List<Draft> drafts)
      throws Exception {
    Map<String, Long> dynamic = new HashMap<>();
    Map<String, Long> fixed = new HashMap<>();
    run(events(drafts), Duration.ofMillis(2), dynamic, fixed);
    Differential.assertSameAlerts(dynamic, fixed);
  }

  static void run(
      List<Event> events, Duration pacing, Map<String, Long> dynamic, Map<String, Long> fixed)
      throws Exception {
    List<RuleCommand.DeclareStream> streams =
        List.of(HandBuiltRules.declare("s"), HandBuiltRules.declare("t"));
    List<RuleCommand.UpsertRule> rules = new ArrayList<>();
    int i = 0;
    for (String shape : HandBuiltRules.SHAPES.keySet()) {
      rules.add(HandBuiltRules.upsert("r" + i++, 1, shape));
    }
    Differential.run(
        new HandBuiltRules.Builder(),
        streams,
        rules,
        events,
        Duration.ofMillis(5),
        pacing,
        dynamic,
        fixed);
  }
}
