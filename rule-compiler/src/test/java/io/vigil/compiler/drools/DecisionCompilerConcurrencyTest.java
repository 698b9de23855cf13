package io.vigil.compiler.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.drools.core.impl.InternalRuleBase;
import org.junit.jupiter.api.Test;
import org.kie.api.conf.EventProcessingOption;

/**
 * Rule sets compiled at the same time in one JVM (every parallel instance of the job builds its
 * own, and a task manager runs several) each get exactly their own rules, in the event processing
 * mode they need. Drools' repository of built modules is one per JVM: builds under one shared id
 * handed each other their modules.
 */
class DecisionCompilerConcurrencyTest {

  private static String ruleSet(int n) {
    return """
        // vigil: streams payments
        // vigil: partition by cardId
        // vigil: expire after 10m
        package concurrent.set%d;

        rule "rule of set %d"
        when
          $p : payments( amount > %d )
        then
          alerts.raise("Set %d");
        end
        """
        .formatted(n, n, n, n);
  }

  @Test
  void rule_sets_compiled_concurrently_each_hold_their_own_rules() throws Exception {
    int threads = 3;
    int perThread = 40;
    CyclicBarrier together = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> problems = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        problems.add(
            pool.submit(
                () -> {
                  List<String> wrong = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    together.await();
                    int n = thread * perThread + i;
                    DecisionCompilation compilation =
                        DecisionCompiler.compile(
                            new SourceFile("set" + n + ".drl", ruleSet(n)),
                            DecisionCompilerTest.STREAMS);
                    List<String> names =
                        compilation.ruleSet().map(DecisionRuleSet::ruleNames).orElse(List.of());
                    boolean stream =
                        compilation
                            .ruleSet()
                            .map(
                                r ->
                                    ((InternalRuleBase) r.kieBase())
                                            .getRuleBaseConfiguration()
                                            .getEventProcessingMode()
                                        == EventProcessingOption.STREAM)
                            .orElse(false);
                    if (!names.equals(List.of("rule of set " + n)) || !stream) {
                      wrong.add("set " + n + ": " + names + " " + compilation.diagnostics());
                    }
                  }
                  return wrong;
                }));
      }
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> f : problems) {
        wrong.addAll(f.get());
      }
      assertThat(wrong).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
