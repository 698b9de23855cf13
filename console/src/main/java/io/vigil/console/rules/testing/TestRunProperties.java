package io.vigil.console.rules.testing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Test runs of a rule on bounded input ({@code vigil.console.test-run.*}).
 *
 * @param maxEvents a run with more event lines is refused
 * @param timeout a run that takes longer is cancelled
 * @param parallelism parallelism of the matcher in a run
 * @param taskSlots slots of the console's Flink MiniCluster: how many runs go at once
 * @param samplesDir JSON Lines files offered as sample events ({@code *.jsonl})
 * @param warmUpAtStart start the test cluster as soon as the console is up, instead of on the first
 *     test run
 * @param topicMaxEvents a run on the last minutes of a stream's topic reads at most this many
 *     events (the oldest of the range first)
 * @param topicMaxMinutes the longest range a run on a topic may ask for
 */
@Validated
@ConfigurationProperties("vigil.console.test-run")
public record TestRunProperties(
    @Min(1) @Max(1_000_000) @DefaultValue("100000") int maxEvents,
    @NotNull @DefaultValue("30s") Duration timeout,
    @Min(1) @Max(16) @DefaultValue("1") int parallelism,
    @Min(1) @Max(64) @DefaultValue("4") int taskSlots,
    @NotNull @DefaultValue("samples/events") Path samplesDir,
    @DefaultValue("true") boolean warmUpAtStart,
    @Min(1) @Max(1_000_000) @DefaultValue("10000") int topicMaxEvents,
    @Min(1) @Max(10_080) @DefaultValue("1440") int topicMaxMinutes) {

  public TestRunProperties {
    if (topicMaxEvents > maxEvents) {
      throw new IllegalArgumentException(
          "vigil.console.test-run.topic-max-events (%d) is above max-events (%d)"
              .formatted(topicMaxEvents, maxEvents));
    }
  }
}
