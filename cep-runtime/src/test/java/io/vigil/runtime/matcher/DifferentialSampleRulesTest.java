package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.runtime.Samples;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.time.Duration;
import java.time.Instant;
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
 * The runtime's correctness contract on the sample rules: for random event streams over the four
 * sample streams, the runtime with every sample rule loaded at once gives exactly the alerts (same
 * ids, so the same rule, version, key, kind and matched events; and the same messages) as one
 * static {@code CEP.pattern} operator per rule.
 */
class DifferentialSampleRulesTest {

  private static FlinkTestCluster cluster;
  private static List<RuleCommand> commands;
  private static Map<String, EventDecoder> decoders;
  private static final Map<String, Long> ALERTS_PER_RULE = new java.util.TreeMap<>();

  @BeforeContainer
  static void start() throws Exception {
    cluster = new FlinkTestCluster(4);
    var sources = RuleFiles.read(List.of(Samples.dir()));
    Compilation compilation = RuleCompiler.compile(sources);
    assertThat(compilation.errors()).as(compilation.render()).isEmpty();
    commands = RuleSources.commands(sources, 1);
    decoders = new HashMap<>();
    compilation.streams().forEach((name, schema) -> decoders.put(name, new EventDecoder(schema)));
  }

  @AfterContainer
  static void stop() throws Exception {
    cluster.close();
    // The comparison means something only if the generated histories make rules fire.
    System.out.println("alerts per rule over all tries: " + ALERTS_PER_RULE);
    assertThat(ALERTS_PER_RULE).hasSizeGreaterThanOrEqualTo(7);
  }

  /** One generated event: which stream, a choice per field, and how time moves. */
  record Draft(int stream, int a, int b, int c, int d, int advanceSeconds, int jitterSeconds) {}

  @Provide
  Arbitrary<List<Draft>> histories() {
    return histories(Arbitraries.integers().between(0, 3), 90, 150);
  }

  /**
   * Histories of 30 to {@code maxEvents} events of {@code streams} (0 payments, 1 logins, 2
   * readings, 3 maintenance), time moving up to {@code maxAdvanceSeconds} between events, each up
   * to 4 s out of order.
   */
  static Arbitrary<List<Draft>> histories(
      Arbitrary<Integer> streams, int maxAdvanceSeconds, int maxEvents) {
    Arbitrary<Integer> choice = Arbitraries.integers().between(0, 5);
    Arbitrary<Draft> draft =
        Combinators.combine(
                streams,
                choice,
                choice,
                choice,
                choice,
                Arbitraries.integers().between(0, maxAdvanceSeconds),
                Arbitraries.integers().between(0, 4))
            .as(Draft::new);
    return draft.list().ofMinSize(30).ofMaxSize(maxEvents);
  }

  static final String[] CARDS = {"c1", "c2"};
  static final String[] ACCOUNTS = {"a1", "a2"};
  static final String[] AMOUNTS = {"1.00", "1.50", "600", "950", "1200", "0.99"};
  static final String[] COUNTRIES = {"FR", "US", "FR"};
  static final String[] DEVICES = {"d1", "d2"};
  static final String[] TEMPERATURES = {"95.5", "20.0", "99.0", "85.0", "10.0", "91.0"};
  static final String[] VIBRATIONS = {"3.5", "0.5", "4.0", "2.6", "0.9", "3.0"};
  static final String[] ACTIONS = {"FAULT", "FIXED", "ACK", "FAULT"};

  static List<Event> events(List<Draft> drafts) {
    return events(drafts, decoders);
  }

  static List<Event> events(List<Draft> drafts, Compilation compilation) {
    Map<String, EventDecoder> byStream = new HashMap<>();
    compilation.streams().forEach((name, schema) -> byStream.put(name, new EventDecoder(schema)));
    return events(drafts, byStream);
  }

  private static List<Event> events(List<Draft> drafts, Map<String, EventDecoder> decoders) {
    List<Event> out = new ArrayList<>();
    long base = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();
    int id = 0;
    for (Draft d : drafts) {
      base += d.advanceSeconds() * 1000L;
      String ts = Instant.ofEpochMilli(base - d.jitterSeconds() * 1000L).toString();
      String e = "e" + id++;
      String stream;
      String json;
      switch (d.stream()) {
        case 0 -> {
          stream = "payments";
          json =
              "{\"eventId\":\"%s\",\"cardId\":\"%s\",\"accountId\":\"%s\",\"amount\":%s,\"currency\":\"%s\",\"merchant\":\"%s\",\"country\":\"%s\",\"status\":\"%s\",\"channel\":\"%s\",\"ts\":\"%s\"}"
                  .formatted(
                      e,
                      CARDS[d.a() % 2],
                      ACCOUNTS[d.a() % 2],
                      AMOUNTS[d.b()],
                      d.c() < 5 ? "EUR" : "USD",
                      d.d() % 2 == 0 ? "m1" : "m2",
                      COUNTRIES[d.c() % 3],
                      d.d() < 5 ? "APPROVED" : "DECLINED",
                      d.b() % 3 == 2 ? "WEB" : "POS",
                      ts);
        }
        case 1 -> {
          stream = "logins";
          json =
              "{\"eventId\":\"%s\",\"accountId\":\"%s\",\"country\":\"%s\",\"success\":%s,\"ts\":\"%s\"}"
                  .formatted(e, ACCOUNTS[d.a() % 2], COUNTRIES[d.c() % 3], d.b() >= 4, ts);
        }
        case 2 -> {
          stream = "readings";
          json =
              "{\"eventId\":\"%s\",\"deviceId\":\"%s\",\"site\":\"s1\",\"temperature\":%s,\"vibration\":%s,\"ts\":\"%s\"}"
                  .formatted(e, DEVICES[d.a() % 2], TEMPERATURES[d.b()], VIBRATIONS[d.c()], ts);
        }
        default -> {
          stream = "maintenance";
          json =
              "{\"eventId\":\"%s\",\"deviceId\":\"%s\",\"action\":\"%s\",\"tech\":\"t%d\",\"ts\":\"%s\"}"
                  .formatted(e, DEVICES[d.a() % 2], ACTIONS[d.b() % 4], d.c(), ts);
        }
      }
      out.add(
          decoders
              .get(stream)
              .decode(json)
              .decoded()
              .orElseThrow(
                  () -> new IllegalStateException("generator wrote a bad event: " + json)));
    }
    return out;
  }

  @Property(tries = 10, seed = "3")
  void runtimeWithAllSampleRulesMatchesStaticCepPerRule(@ForAll("histories") List<Draft> drafts)
      throws Exception {
    compare(drafts, Duration.ZERO);
  }

  /**
   * The same with the events drained over many watermarks (see {@link Differential#run}): what the
   * matcher carries from one drain of a key to the next must not change a match.
   */
  @Property(tries = 10, seed = "5")
  void theSameWhenEachKeyIsDrainedOverManyWatermarks(@ForAll("histories") List<Draft> drafts)
      throws Exception {
    compare(drafts, Duration.ofMillis(2));
  }

  private static void compare(List<Draft> drafts, Duration pacing) throws Exception {
    List<RuleCommand.DeclareStream> streams = new ArrayList<>();
    List<RuleCommand.UpsertRule> rules = new ArrayList<>();
    for (RuleCommand c : commands) {
      if (c instanceof RuleCommand.DeclareStream s) {
        streams.add(s);
      } else if (c instanceof RuleCommand.UpsertRule r) {
        rules.add(r);
      }
    }
    Map<String, Long> dynamic = new HashMap<>();
    Map<String, Long> fixed = new HashMap<>();
    // Jitter is below the smallest lateness (5 s): nothing is late on either side.
    Differential.run(
        new CompilingRuleBuilder(),
        streams,
        rules,
        events(drafts),
        Duration.ofSeconds(5),
        pacing,
        dynamic,
        fixed);
    Differential.assertSameAlerts(dynamic, fixed);
    fixed.forEach((alert, n) -> ALERTS_PER_RULE.merge(alert.split(" ")[0], n, Long::sum));
  }
}
