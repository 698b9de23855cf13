package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.runtime.Samples;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.replay.CollectedReplay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil run} end to end: the sample rules, a small events file, alerts as JSON Lines. */
class RunCommandTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  static final List<String> EVENTS =
      List.of(
          // impossible_travel: two POS payments of card c1 in different countries, back to back
          // (written out of order: within the 5 s lateness of payments).
          "{\"stream\":\"payments\",\"event\":{\"eventId\":\"p2\",\"cardId\":\"c1\",\"accountId\":\"a1\",\"amount\":12.50,\"currency\":\"EUR\",\"merchant\":\"m2\",\"country\":\"US\",\"status\":\"APPROVED\",\"channel\":\"POS\",\"ts\":\"2026-01-05T10:00:03Z\"}}",
          "{\"stream\":\"payments\",\"event\":{\"eventId\":\"p1\",\"cardId\":\"c1\",\"accountId\":\"a1\",\"amount\":10.00,\"currency\":\"EUR\",\"merchant\":\"m1\",\"country\":\"FR\",\"status\":\"APPROVED\",\"channel\":\"POS\",\"ts\":\"2026-01-05T10:00:00Z\"}}",
          // repair_overdue: a fault never fixed (times out when the replay ends).
          "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m1\",\"deviceId\":\"d1\",\"action\":\"FAULT\",\"tech\":\"ann\",\"ts\":\"2026-01-05T10:01:00Z\"}}",
          // device_silent: one reading, then silence.
          "{\"stream\":\"readings\",\"event\":{\"eventId\":\"r1\",\"deviceId\":\"d2\",\"site\":\"s1\",\"temperature\":20.5,\"vibration\":0.1,\"ts\":\"2026-01-05T10:02:00Z\"}}",
          // Bad input: each is dead-lettered, the replay goes on.
          "this is not json",
          "{\"stream\":\"nope\",\"event\":{\"ts\":1}}",
          "{\"stream\":\"payments\",\"event\":{\"eventId\":\"p3\",\"cardId\":\"c9\",\"amount\":\"abc\",\"ts\":\"2026-01-05T10:03:00Z\"}}",
          "");

  @Test
  void replaysSampleRulesAndPrintsAlertsAsJsonLines() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Files.write(events, EVENTS);
    Path out = dir.resolve("alerts.jsonl");
    Ran run = runSamples(events, "--parallelism", "2", "--out", out.toString());

    assertThat(run.status()).as(run.err()).isZero();
    List<Alert> alerts = Files.readAllLines(out).stream().map(AlertJson::read).toList();
    assertThat(alerts)
        .extracting(a -> a.ruleId() + " " + a.kind() + " " + a.key())
        .containsExactlyInAnyOrder(
            "impossible_travel MATCH {cardId=c1}",
            "repair_overdue TIMEOUT {deviceId=d1}",
            "device_silent MATCH {deviceId=d2}");
    Alert travel =
        alerts.stream().filter(a -> a.ruleId().equals("impossible_travel")).findFirst().get();
    assertThat(travel.message()).isEqualTo("Card c1 used in FR then in US");
    assertThat(travel.severity()).isEqualTo("high");
    assertThat(travel.events().get("a"))
        .singleElement()
        .satisfies(e -> assertThat(e).containsEntry("eventId", "p1"));
    assertThat(travel.events().get("b"))
        .singleElement()
        .satisfies(e -> assertThat(e).containsEntry("eventId", "p2"));
    assertThat(run.err())
        .contains("3 dead letters")
        .contains("malformed line")
        .contains("unknown stream 'nope'")
        .contains("amount");
  }

  @Test
  void anEventDatedFarAheadOfItsStreamIsADeadLetterAndDoesNotTimeOutOpenWindows() throws Exception {
    Path events = dir.resolve("far.jsonl");
    Files.write(
        events,
        List.of(
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m1\",\"deviceId\":\"d1\",\"action\":\"FAULT\",\"tech\":\"ann\",\"ts\":\"2026-01-05T10:01:00Z\"}}",
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m2\",\"deviceId\":\"d9\",\"action\":\"NOOP\",\"tech\":\"bob\",\"ts\":\"2036-01-05T10:00:00Z\"}}",
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m3\",\"deviceId\":\"d1\",\"action\":\"FIXED\",\"tech\":\"ann\",\"ts\":\"2026-01-05T10:30:00Z\"}}"));
    Path out = dir.resolve("far-alerts.jsonl");
    Ran run = runSamples(events, "--max-ahead-of-watermark", "1h", "--out", out.toString());

    assertThat(run.status()).as(run.err()).isZero();
    // The fault was fixed 29 minutes later: no timeout, although an event dated ten years ahead
    // came in between.
    assertThat(Files.readAllLines(out)).isEmpty();
    assertThat(run.err())
        .contains("1 dead letter,")
        .contains("0 late events")
        .contains("timestamp 2036-01-05T10:00:00Z is more than PT1H ahead of stream maintenance's")
        .contains("events.max-ahead-of-watermark");
  }

  @Test
  void aParallelismOutsideItsRangeIsAUsageError() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Files.write(events, EVENTS);
    for (String parallelism : List.of("0", "-3", "257", "100000")) {
      Ran run =
          runSamples(
              events, "--parallelism", parallelism, "--out", dir.resolve("never.jsonl").toString());

      assertThat(run.status()).as(parallelism).isEqualTo(2);
      assertThat(run.err())
          .startsWith("vigil run: --parallelism " + parallelism + ": expected 1 to 256 (")
          .hasLineCount(1);
      assertThat(dir.resolve("never.jsonl")).doesNotExist();
    }
  }

  @Test
  void theSameReplayGivesTheSameAlertIds() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Files.write(events, EVENTS);
    CollectedReplay first = sampleReplay(events, 1);
    CollectedReplay second = sampleReplay(events, 2);
    assertThat(second.alerts())
        .extracting(Alert::alertId)
        .containsExactlyElementsOf(first.alerts().stream().map(Alert::alertId).toList());
  }

  @Test
  void replaysAStatefulDrlRuleSetBesideTheStreamsItReads() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.copy(Samples.dir().resolve("streams.vgl"), rules.resolve("streams.vgl"));
    Files.writeString(
        rules.resolve("repeated_fault.drl"),
        """
        // vigil: streams maintenance
        // vigil: partition by deviceId
        // vigil: expire after 10m
        package ops.repeat;

        rule "second fault within 10 minutes"
        when
          $a : maintenance( action == "FAULT" )
          $b : maintenance( action == "FAULT", this after[1ms,10m] $a )
        then
          alerts.raise("Repeated fault").message($a.getEventId() + " then " + $b.getEventId());
        end
        """);
    Path events = dir.resolve("faults.jsonl");
    Files.write(
        events,
        List.of(
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m1\",\"deviceId\":\"d1\",\"action\":\"FAULT\",\"tech\":\"ann\",\"ts\":\"2026-01-05T10:00:00Z\"}}",
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m2\",\"deviceId\":\"d2\",\"action\":\"FAULT\",\"tech\":\"ann\",\"ts\":\"2026-01-05T10:01:00Z\"}}",
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m3\",\"deviceId\":\"d1\",\"action\":\"FAULT\",\"tech\":\"bob\",\"ts\":\"2026-01-05T10:04:00Z\"}}",
            "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m4\",\"deviceId\":\"d2\",\"action\":\"FAULT\",\"tech\":\"bob\",\"ts\":\"2026-01-05T10:20:00Z\"}}"));
    Path out = dir.resolve("drl-alerts.jsonl");
    Ran run =
        vigil(
            "run",
            "--rules",
            rules.toString(),
            "--events",
            events.toString(),
            "--out",
            out.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(Files.readAllLines(out).stream().map(AlertJson::read))
        .extracting(a -> a.ruleId() + " " + a.key() + " " + a.message())
        .containsExactly("repeated_fault {deviceId=d1} m1 then m3");
  }

  @Test
  void withoutOutTheSinksAlertsGoToStdoutInTheOrderOfTheCollectedReplay() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Files.write(events, EVENTS);

    Ran run = runSamples(events);

    assertThat(run.status()).as(run.err()).isZero();
    CollectedReplay collected = sampleReplay(events, 1);
    assertThat(run.out().lines().map(AlertJson::read).map(Alert::alertId).toList())
        .hasSize(3)
        .containsExactlyElementsOf(collected.alerts().stream().map(Alert::alertId).toList());
    assertThat(run.err())
        .contains("dead letter (events.jsonl): ")
        .contains("vigil run: 3 alerts, 3 dead letters, 0 late events");
  }

  /** What {@code vigil} with {@code args} gave: its exit status, standard output and error. */
  record Ran(int status, String out, String err) {}

  static Ran vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new Ran(status, out.toString(), err.toString());
  }

  /** {@code vigil run} of the sample rules on {@code events}, with {@code options}. */
  static Ran runSamples(Path events, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "--rules", Samples.dir().toString(), "--events", events.toString()));
    args.addAll(List.of(options));
    return vigil(args.toArray(String[]::new));
  }

  /** The sample rules' replay of {@code events} on Flink's local environment. */
  static CollectedReplay sampleReplay(Path events, int parallelism) throws Exception {
    return CollectedReplay.of(
        RuleSources.commands(RuleFiles.read(List.of(Samples.dir())), 1), events, parallelism);
  }
}
