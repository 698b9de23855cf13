package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventDecoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * A DRL decision rule and the equivalent one-stage pattern rule, loaded together in the runtime,
 * raise the same alerts (title, severity, key, message, matched event) on random histories.
 */
class DecisionDifferentialTest {

  static final String STREAM =
      """
      stream readings
        time ts
        fields
          eventId: string
          deviceId: string
          site: string
          temperature: double
          ts: timestamp
      """;

  static final String PATTERN =
      """
      rule hot_pattern
        title "Hot"
        severity high
        from readings
        partition by deviceId
        pattern
          r: temperature > 90 and site == "north"
        alert "{r.deviceId} {r.eventId}"
      """;

  static final String DRL =
      """
      // vigil: streams readings
      // vigil: partition by deviceId
      rule "hot"
      when
        $r : readings( temperature > 90, site == "north" )
      then
        alerts.raise("Hot").severity("high").message($r.getDeviceId() + " " + $r.getEventId());
      end
      """;

  private static FlinkTestCluster cluster;
  private static long alertsSeen;

  @BeforeContainer
  static void start() throws Exception {
    cluster = new FlinkTestCluster(4);
  }

  @AfterContainer
  static void stop() throws Exception {
    cluster.close();
    // Every try has at least one hot event: the comparison cannot pass on empty outputs.
    assertThat(alertsSeen).isPositive();
  }

  record Reading(int device, boolean north, double temperature, int step) {}

  @Provide
  Arbitrary<List<Reading>> histories() {
    Arbitrary<Double> temperatures =
        Arbitraries.oneOf(
            Arbitraries.of(90.0, 90.5, 89.9, 120.0),
            Arbitraries.doubles().between(60, 110).ofScale(1));
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.of(true, false),
            temperatures,
            Arbitraries.integers().between(0, 3))
        .as(Reading::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(60);
  }

  @Property(tries = 8, seed = "11")
  void aDrlRuleAndTheEquivalentPatternRuleRaiseTheSameAlerts(
      @ForAll("histories") List<Reading> history) throws Exception {
    List<Event> events = new ArrayList<>();
    long t = 1_000_000;
    events.add(event("e-first", 0, true, 95.0, t));
    for (int i = 0; i < history.size(); i++) {
      Reading r = history.get(i);
      t += r.step() * 1000L;
      events.add(event("e" + i, r.device(), r.north(), r.temperature(), t));
    }
    Map<String, Integer> drl = new TreeMap<>();
    Map<String, Integer> pattern = new TreeMap<>();
    for (Alert alert : run(events)) {
      String shape =
          alert.title()
              + " "
              + alert.severity()
              + " "
              + alert.key()
              + " "
              + alert.message()
              + " "
              + alert.events().values();
      (alert.ruleId().equals("hot_drl") ? drl : pattern).merge(shape, 1, Integer::sum);
    }
    assertThat(drl).isEqualTo(pattern).isNotEmpty();
    alertsSeen += drl.size();
  }

  private static Event event(String id, int device, boolean north, double temperature, long ts) {
    return new Event(
        "readings",
        ts,
        new Object[] {id, "dev-" + device, north ? "north" : "south", temperature, ts});
  }

  private static List<Alert> run(List<Event> events) throws Exception {
    RuleCommand.DeclareStream stream = new RuleCommand.DeclareStream("readings", 1, STREAM);
    List<RuleCommand> initial =
        List.of(
            stream,
            new RuleCommand.UpsertRule("hot_pattern", 1, PATTERN, Long.MIN_VALUE, false),
            new RuleCommand.UpsertRule(
                "hot_drl", 1, DRL, Long.MIN_VALUE, false, RuleCommand.Language.DRL));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Event> source = env.fromData(events, EventSerializer.TYPE_INFO);
    DataStream<RuleCommand> control =
        env.fromData(List.<RuleCommand>of(stream), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs outputs =
        VigilEngine.builder(new CompilingRuleBuilder())
            .initialCommands(initial)
            .matcherParallelism(2)
            .attach(source, EventDecoding.decoded(), control);
    List<Alert> out = new ArrayList<>();
    try (CloseableIterator<Alert> it = outputs.alerts().executeAndCollect()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }
}
