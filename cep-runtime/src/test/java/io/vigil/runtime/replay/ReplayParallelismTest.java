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
import java.util.Random;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replay read by several readers gives what one reader gives: the same alerts (ids hash the rule,
 * the key and the matched events), dead letters and late events, on random files where many events
 * of one key share a timestamp across the file's ranges, the rules depend on the order among them
 * (strict contiguity), and watermarks come often enough to make some events late.
 */
class ReplayParallelismTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(3)
              .build());

  /** Small ranges: a key's events with one timestamp land in different ranges. */
  static final long RANGE_BYTES = 700;

  /** A watermark after every few events: events more than the lateness out of order are late. */
  static final int WATERMARK_EVERY = 20;

  static final String RULES =
      """
      stream taps
        time ts
        lateness 2s
        fields
          id: string
          site: string
          kind: string
          ts: timestamp

      rule a_next_b
        from taps
        partition by id
        pattern
          a: kind == "A"
          next b: kind == "B"
        within 10s
        alert "{id}: A right before B"

      rule two_c_then_a
        from taps
        partition by site
        pattern
          c: kind == "C" {2} consecutive
          then a: kind == "A"
        within 5s
        skip past last event
        alert "{site}: two C then A"
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void twoAndThreeReadersGiveTheAlertsDeadLettersAndLateEventsOfOne(long seed) throws Exception {
    Path events = dir.resolve("events-" + seed + ".jsonl");
    Files.write(events, randomLines(new Random(seed), 500));
    List<RuleCommand> commands =
        RuleSources.commands(List.of(new SourceFile("taps.vgl", RULES)), 1);

    Outcome one = replay(commands, events, 1);
    assertThat(one.alertIds()).as("the file gives alerts").hasSizeGreaterThan(10);
    assertThat(one.deadLetters()).as("the file gives dead letters").isNotEmpty();
    assertThat(one.late()).as("the file gives late events").isNotEmpty();
    assertThat(replay(commands, events, 2)).isEqualTo(one);
    assertThat(replay(commands, events, 3)).isEqualTo(one);
  }

  /**
   * The watermark a far-ahead report names is its reader's (the events it has read), so it may be
   * earlier with several readers; the decision is the same.
   */
  static final Pattern WATERMARK = Pattern.compile("watermark \\S+Z");

  record Outcome(List<String> alertIds, List<String> deadLetters, List<String> late) {}

  Outcome replay(List<RuleCommand> commands, Path events, int parallelism) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    List<String> alerts = new ArrayList<>();
    List<String> dead = new ArrayList<>();
    List<String> late = new ArrayList<>();
    try (CloseableIterator<ReplayLine> lines =
        ReplayJob.lines(
                env,
                commands,
                events,
                parallelism,
                EventTimeLimits.withoutClock(Duration.ofDays(1)),
                new CompilingRuleBuilder(),
                ReplayJob.Reading.DEFAULT
                    .withRangeBytes(RANGE_BYTES)
                    .withWatermarkEvery(WATERMARK_EVERY))
            .executeAndCollect("replay at " + parallelism)) {
      while (lines.hasNext()) {
        ReplayLine line = lines.next();
        switch (line.kind()) {
          case ALERT -> alerts.add(line.alertId());
          case DEAD_LETTER -> dead.add(WATERMARK.matcher(line.text()).replaceFirst("watermark"));
          case LATE -> late.add(line.text());
        }
      }
    }
    return new Outcome(sorted(alerts), sorted(dead), sorted(late));
  }

  private static List<String> sorted(List<String> list) {
    return list.stream().sorted().toList();
  }

  /**
   * Taps of five ids on three sites, most sharing their timestamp with the one before, some up to a
   * second out of order (within the lateness), a few up to ten (late once a watermark passed them),
   * with malformed lines, unknown streams, blank lines and events dated ten years ahead among them.
   */
  static List<String> randomLines(Random random, int count) {
    List<String> lines = new ArrayList<>();
    long ts = 1_767_607_200_000L;
    for (int i = 0; i < count; i++) {
      int roll = random.nextInt(100);
      if (roll < 2) {
        lines.add("not json " + i);
        continue;
      } else if (roll < 3) {
        lines.add("{\"stream\":\"nope\",\"event\":{\"ts\":" + ts + "}}");
        continue;
      } else if (roll < 4) {
        lines.add("");
        continue;
      }
      if (random.nextInt(4) == 0) {
        ts += 1_000;
      }
      long eventTs = ts;
      if (roll < 5 && i > 40) {
        eventTs = ts + Duration.ofDays(3650).toMillis();
      } else if (roll < 12) {
        eventTs = ts - random.nextInt(1_000);
      } else if (roll < 14) {
        eventTs = ts - 2_000 - random.nextInt(8_000);
      }
      lines.add(
          "{\"stream\":\"taps\",\"event\":{\"id\":\"k"
              + random.nextInt(5)
              + "\",\"site\":\"s"
              + random.nextInt(3)
              + "\",\"kind\":\""
              + "ABC".charAt(random.nextInt(3))
              + "\",\"ts\":"
              + eventTs
              + "}}");
    }
    return lines;
  }
}
