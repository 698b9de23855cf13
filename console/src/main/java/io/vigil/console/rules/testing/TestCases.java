package io.vigil.console.rules.testing;

import io.vigil.console.audit.AuditLog;
import io.vigil.console.store.RedisJson;
import io.vigil.dsl.diagnostic.SourceFile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/** The saved test cases of each rule ({@code <prefix>rule:<id>:tests}, hash name → JSON). */
@Component
public class TestCases {

  private final RedisJson store;
  private final TestRunner runner;
  private final AuditLog audit;
  private final Clock clock;

  public TestCases(RedisJson store, TestRunner runner, AuditLog audit, Clock clock) {
    this.store = store;
    this.runner = runner;
    this.audit = audit;
    this.clock = clock;
  }

  public List<TestCase> of(String ruleId) {
    return store.redis().<String, String>opsForHash().values(key(ruleId)).stream()
        .map(text -> store.read(text, TestCase.class))
        .sorted(Comparator.comparing(TestCase::name))
        .toList();
  }

  public TestCase save(
      String ruleId, String name, String events, List<String> expected, String author) {
    TestCase saved = new TestCase(name, events, expected, author, clock.instant());
    store.redis().opsForHash().put(key(ruleId), name, store.write(saved));
    audit.record(
        author,
        "save test case",
        ruleId + "/" + name,
        "",
        expected.size() + " expected alert(s): " + String.join("\n", expected));
    return saved;
  }

  public void delete(String ruleId, String name, String actor) {
    store.redis().opsForHash().delete(key(ruleId), name);
    audit.record(actor, "delete test case", ruleId + "/" + name, "", "");
  }

  public void deleteAll(String ruleId) {
    store.redis().delete(key(ruleId));
  }

  /** Runs every saved case of {@code ruleId} against {@code ruleSource}. */
  public List<CaseOutcome> runAll(String ruleId, SourceFile streams, String ruleSource) {
    List<CaseOutcome> outcomes = new ArrayList<>();
    for (TestCase c : of(ruleId)) {
      try {
        List<String> actual = runner.run(streams, ruleId, ruleSource, c.events()).signatures();
        outcomes.add(
            new CaseOutcome(c.name(), actual.equals(c.expected()), c.expected(), actual, ""));
      } catch (TestRunException e) {
        outcomes.add(new CaseOutcome(c.name(), false, c.expected(), List.of(), e.getMessage()));
      }
    }
    return outcomes;
  }

  private String key(String ruleId) {
    return store.key("rule", ruleId, "tests");
  }
}
