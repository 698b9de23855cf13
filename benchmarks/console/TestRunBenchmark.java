import io.vigil.console.rules.testing.TestRunProperties;
import io.vigil.console.rules.testing.TestRunResult;
import io.vigil.console.rules.testing.TestRunner;
import io.vigil.console.rules.testing.WarmCluster;
import io.vigil.dsl.diagnostic.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Latency of the console's "Run test" (not a test): one rule on 1 000 events through the real
 * engine, submitted to the console's warm MiniCluster exactly as the page does it ({@link
 * TestRunner}). Prints the first (cold) run, then the median, 90th percentile, minimum and maximum
 * of the measured warm runs.
 *
 * <p>Input: samples/streams.vgl, the rule samples/fraud/card_testing.vgl and the first 1 000 lines
 * of samples/events/fraud.jsonl followed by samples/events/iot.jsonl. Arguments: [warm-up runs
 * (default 5)] [measured runs (default 20)].
 */
public class TestRunBenchmark {
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path samples = Path.of("samples");
    SourceFile streams =
        new SourceFile("streams.vgl", Files.readString(samples.resolve("streams.vgl")));
    String rule = Files.readString(samples.resolve("fraud/card_testing.vgl"));
    String events =
        String.join(
            "\n",
            Stream.concat(
                    Files.readAllLines(samples.resolve("events/fraud.jsonl")).stream(),
                    Files.readAllLines(samples.resolve("events/iot.jsonl")).stream())
                .limit(1000)
                .toList());
    TestRunProperties properties =
        new TestRunProperties(
            100_000, Duration.ofMinutes(1), 1, 4, samples.resolve("events"), false, 10_000, 1440);
    WarmCluster cluster = new WarmCluster(properties);
    TestRunner runner = new TestRunner(cluster, properties);
    try {
      long start = System.nanoTime();
      TestRunResult first = runner.run(streams, rule, events);
      long cold = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "first run (starts the cluster): %d ms, %d events, %d alerts%n",
          cold, first.events(), first.alerts().size());
      for (int i = 0; i < warmUp; i++) {
        runner.run(streams, rule, events);
      }
      List<Long> millis = new ArrayList<>();
      int alerts = 0;
      for (int i = 0; i < measured; i++) {
        long t = System.nanoTime();
        alerts = runner.run(streams, rule, events).alerts().size();
        millis.add((System.nanoTime() - t) / 1_000_000);
      }
      Collections.sort(millis);
      System.out.printf(
          "warm, %d runs of 1000 events (%d alerts each): median %d ms, p90 %d ms, min %d ms, max %d ms%n",
          measured,
          alerts,
          millis.get(millis.size() / 2),
          millis.get((int) Math.ceil(millis.size() * 0.9) - 1),
          millis.get(0),
          millis.get(millis.size() - 1));
    } finally {
      cluster.stop();
      System.exit(0);
    }
  }
}
