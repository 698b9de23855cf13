package io.vigil.runtime.drools;

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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alerts of a stateless DRL rule set (raised in the matcher) are facts of a stateful rule set
 * that reads them, through the whole engine.
 */
class StatelessAlertsAsFactsTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String STREAM =
      """
      stream readings
        time ts
        fields
          deviceId: string
          temperature: double
          ts: timestamp
      """;

  static final String HOT =
      """
      // vigil: streams readings
      // vigil: partition by deviceId
      rule "hot"
      when
        $r : readings( temperature > 90 )
      then
        alerts.raise("Hot").message($r.getDeviceId() + " at " + $r.getTemperature());
      end
      """;

  static final String HOT_TWICE =
      """
      // vigil: streams readings
      // vigil: partition by deviceId
      // vigil: expire after 10m
      // vigil: alerts of hot
      package twice;

      rule "hot twice within 10 minutes"
      when
        $a : PatternAlert( ruleId == "hot" )
        $b : PatternAlert( ruleId == "hot", this after[1ms,10m] $a )
      then
        alerts.raise("Hot twice").references($b)
            .message($a.getMessage() + ", then " + $b.getMessage());
      end
      """;

  @Test
  void aStatefulRuleSetReadsTheAlertsOfAStatelessOneOnTheSameKey() throws Exception {
    RuleCommand.DeclareStream stream = new RuleCommand.DeclareStream("readings", 1, STREAM);
    List<RuleCommand> initial =
        List.of(
            stream,
            new RuleCommand.UpsertRule(
                "hot", 1, HOT, Long.MIN_VALUE, false, RuleCommand.Language.DRL),
            new RuleCommand.UpsertRule(
                "hot_twice", 1, HOT_TWICE, Long.MIN_VALUE, false, RuleCommand.Language.DRL));
    long t = 1_000_000;
    List<Event> events =
        List.of(
            reading("d1", 95, t),
            reading("d2", 99, t + 1_000),
            reading("d1", 50, t + 2_000),
            reading("d1", 97, t + 60_000),
            // 11 minutes after d2's first: too late.
            reading("d2", 98, t + 661_000));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Event> source = env.fromData(events, EventSerializer.TYPE_INFO);
    DataStream<RuleCommand> control =
        env.fromData(List.<RuleCommand>of(stream), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs outputs =
        VigilEngine.builder(new CompilingRuleBuilder())
            .initialCommands(initial)
            .attach(source, EventDecoding.decoded(), control);
    List<Alert> alerts = new ArrayList<>();
    try (CloseableIterator<Alert> it = outputs.alerts().executeAndCollect()) {
      it.forEachRemaining(alerts::add);
    }
    assertThat(alerts.stream().filter(a -> a.ruleId().equals("hot"))).hasSize(4);
    assertThat(alerts.stream().filter(a -> a.ruleId().equals("hot_twice")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.key()).containsEntry("deviceId", "d1");
              assertThat(a.message()).isEqualTo("d1 at 95.0, then d1 at 97.0");
              assertThat(a.tags()).singleElement().asString().startsWith("references:");
            });
  }

  private static Event reading(String device, double temperature, long ts) {
    return new Event("readings", ts, new Object[] {device, temperature, ts});
  }
}
