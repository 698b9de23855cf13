package io.vigil.console.rules.testing;

import io.vigil.console.rules.check.RuleCheck;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.replay.CollectedReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Runs one rule on bounded input through the real engine: the same pipeline as {@code vigil run}
 * ({@link CollectedReplay}), on the console's {@link WarmCluster}. The rule is active from the
 * first event; streams and rule are declared as version 1 of a job that exists only for this run. A
 * DRL rule set runs as {@code vigil run} runs a {@code .drl} file, a stateful one (with {@code //
 * vigil: expire after}) in its per-key sessions.
 */
@Component
public class TestRunner {

  /** The id a DRL rule set runs under before it is saved. */
  public static final String UNSAVED = "unsaved";

  private final WarmCluster cluster;
  private final TestRunProperties properties;
  private final ExecutorService runs = Executors.newCachedThreadPool();

  public TestRunner(WarmCluster cluster, TestRunProperties properties) {
    this.cluster = cluster;
    this.properties = properties;
  }

  /**
   * @param streams the stream declarations the rule reads
   * @param rule one rule's source (it must compile; check it first)
   * @param events JSON Lines, {@code {"stream":"<name>","event":{...}}} per line
   */
  public TestRunResult run(SourceFile streams, String rule, String events) {
    return run(streams, UNSAVED, rule, events);
  }

  /**
   * As above, for rule {@code ruleId}: a DRL rule set's alerts carry the id it runs under (a
   * pattern rule's id is the one it declares).
   *
   * @param rule a pattern rule or a DRL rule set (stateless or stateful), as the editor holds it
   */
  public TestRunResult run(SourceFile streams, String ruleId, String rule, String events) {
    List<String> lines = events.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new TestRunException("no events: paste JSON Lines or pick a sample file");
    }
    if (lines.size() > properties.maxEvents()) {
      throw new TestRunException(
          "%d events; a test run takes at most %d".formatted(lines.size(), properties.maxEvents()));
    }
    List<RuleCommand> commands;
    try {
      commands = RuleSources.commands(List.of(streams, RuleCheck.runtimeFile(ruleId, rule)), 1);
    } catch (RuleSources.SyntaxException e) {
      throw new TestRunException("the rule does not parse: " + e.getMessage());
    }
    Path file = null;
    long start = System.nanoTime();
    try {
      file = Files.createTempFile("vigil-test-run", ".jsonl");
      Files.write(file, lines, StandardCharsets.UTF_8);
      Path input = file;
      Future<CollectedReplay> result =
          runs.submit(
              () ->
                  CollectedReplay.of(
                      cluster.environment(), commands, input, properties.parallelism()));
      CollectedReplay r = result.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new TestRunResult(
          r.alerts(), r.problems(), r.deadLetters(), r.late(), lines.size(), millis);
    } catch (TimeoutException e) {
      throw new TestRunException("the run took longer than " + properties.timeout());
    } catch (ExecutionException e) {
      throw new TestRunException("the run failed: " + rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestRunException("interrupted");
    } catch (IOException e) {
      throw new TestRunException("cannot stage the events: " + e.getMessage(), e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // A temporary file left behind is harmless.
        }
      }
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    runs.shutdownNow();
  }
}
