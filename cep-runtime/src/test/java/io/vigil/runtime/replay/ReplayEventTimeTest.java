package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay's event time follows the file, not the clock: its reader emits a watermark after every
 * so many events, so which events are late depends on the file alone.
 */
class ReplayEventTimeTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  private static final String RULES =
      """
      stream taps
        time ts
        lateness 2s
        fields
          id: string
          kind: string
          ts: timestamp

      rule a_then_b
        from taps
        partition by id
        pattern
          a: kind == "A" then b: kind == "B"
        within 1m
        alert "{id}: A then B"
      """;

  @TempDir Path dir;

  /** The third event is 50 s older than the second, far beyond the stream's 2 s of lateness. */
  private Path events() throws Exception {
    return Files.write(
        dir.resolve("events.jsonl"),
        List.of(tap("A", 100_000), tap("C", 200_000), tap("B", 150_000), tap("C", 201_000)));
  }

  private static String tap(String kind, long ts) {
    return "{\"stream\":\"taps\",\"event\":{\"id\":\"k\",\"kind\":\""
        + kind
        + "\",\"ts\":"
        + ts
        + "}}";
  }

  private record Outcome(int alerts, List<String> late) {}

  private Outcome replay(int watermarkEvery) throws Exception {
    List<RuleCommand> commands =
        RuleSources.commands(List.of(new SourceFile("taps.vgl", RULES)), 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    int alerts = 0;
    List<String> late = new ArrayList<>();
    try (CloseableIterator<ReplayLine> lines =
        ReplayJob.lines(
                env,
                commands,
                events(),
                1,
                EventTimeLimits.withoutClock(Duration.ofDays(1)),
                new CompilingRuleBuilder(),
                ReplayJob.Reading.DEFAULT.withWatermarkEvery(watermarkEvery))
            .executeAndCollect("replay")) {
      while (lines.hasNext()) {
        ReplayLine line = lines.next();
        switch (line.kind()) {
          case ALERT -> alerts++;
          case LATE -> late.add(line.text());
          case DEAD_LETTER -> throw new AssertionError("no dead letter expected: " + line.text());
        }
      }
    }
    return new Outcome(alerts, late);
  }

  @Test
  void anEventTheWatermarkPassedIsLateWhateverTheClock() throws Exception {
    // A watermark after every two events: 200 s - 2 s passes the third event, dated 150 s.
    Outcome outcome = replay(2);

    assertThat(outcome.late()).singleElement().asString().contains("\"kind\":\"B\"", "00:02:30Z");
    assertThat(outcome.alerts()).isZero();
  }

  @Test
  void beforeTheReaderEmitsAWatermarkNothingIsLate() throws Exception {
    // The same file with a watermark after every three events: the third is read before it.
    Outcome outcome = replay(3);

    assertThat(outcome.late()).isEmpty();
    assertThat(outcome.alerts()).isEqualTo(1);
  }

  @Test
  void theClockEmitsNoWatermarkInAReplay() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ReplayJob.lines(
        env,
        RuleSources.commands(List.of(new SourceFile("taps.vgl", RULES)), 1),
        events(),
        1,
        EventTimeLimits.none(),
        new CompilingRuleBuilder());

    assertThat(env.getConfig().getAutoWatermarkInterval()).isZero();
  }
}
