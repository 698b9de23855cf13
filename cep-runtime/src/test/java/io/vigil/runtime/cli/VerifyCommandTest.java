package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil verify}: rule test cases through the engine, reported like a test runner. */
class VerifyCommandTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static final String HOT =
      "{\"stream\":\"readings\",\"event\":{\"deviceId\":\"%s\",\"temperature\":%s,\"ts\":\"2026-01-05T10:0%d:00Z\"}}";

  @BeforeEach
  void rules() throws Exception {
    Files.writeString(
        dir.resolve("streams.vgl"),
        """
        stream readings
          time ts
          fields
            deviceId: string
            temperature: double
            ts: timestamp
        """);
    Files.writeString(
        dir.resolve("hot_twice.vgl"),
        """
        rule hot_twice
          from readings
          partition by deviceId
          pattern
            a: temperature > 90
            next b: temperature > 90
          alert "Device {deviceId}: {a.temperature} then {b.temperature}"
        """);
    // Another rule that would fire on the same events: a file's cases run only its own rules.
    Files.writeString(
        dir.resolve("any_hot.vgl"),
        """
        rule any_hot
          from readings
          partition by deviceId
          pattern
            a: temperature > 90
          alert "hot"
        """);
  }

  private int verify(String... args) {
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "verify";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void passingAndFailingCasesAreReportedWithADiffAndExitStatusOne() throws Exception {
    Files.writeString(
        dir.resolve("hot_twice.tests.yaml"),
        """
        cases:
          - name: two hot readings in a row
            events: |
              %s
              %s
            expected: |
              MATCH {deviceId=d1} Device d1: 95.0 then 97.0
          - name: one hot reading is not enough
            events: |
              %s
            expected: []
          - name: a wrong expectation
            events: |
              %s
              %s
            expected: |
              MATCH {deviceId=d3} Device d3: 95.0 then 99.0
        """
            .formatted(
                HOT.formatted("d1", "95.0", 1),
                HOT.formatted("d1", "97.0", 2),
                HOT.formatted("d2", "95.0", 1),
                HOT.formatted("d3", "95.0", 1),
                HOT.formatted("d3", "97.0", 2)));

    int status =
        verify(
            "--rules",
            dir.resolve("streams.vgl") + "," + dir.resolve("hot_twice.vgl"),
            "--rules",
            dir.resolve("any_hot.vgl").toString());

    assertThat(status).as(err.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains(dir.resolve("hot_twice.tests.yaml") + " (hot_twice)")
        .contains("  PASS  two hot readings in a row (1 alert)")
        .contains("  PASS  one hot reading is not enough (no alert)")
        .contains(
            """
              FAIL  a wrong expectation
                    expected (-) vs actual (+) alerts:
                    + MATCH {deviceId=d3} Device d3: 95.0 then 97.0
                    - MATCH {deviceId=d3} Device d3: 95.0 then 99.0
            """)
        .contains("3 cases in 1 file: 2 passed, 1 failed");
  }

  @Test
  void aDeadLetterInTheEventsFailsANoAlertCase() throws Exception {
    Path tests = dir.resolve("hot_twice.tests.yaml");
    Files.writeString(
        tests,
        """
        cases:
          - name: a typo in the stream name
            events: |
              {"stream":"reading","event":{"deviceId":"d1","temperature":95.0,"ts":"2026-01-05T10:00:00Z"}}
            expected: []
        """);

    int status = verify("--rules", dir.toString(), tests.toString());

    assertThat(status).isEqualTo(1);
    assertThat(out.toString())
        .contains("  FAIL  a typo in the stream name")
        .contains("        ! dead letter")
        .contains("1 case in 1 file: 0 passed, 1 failed");
  }

  @Test
  void aTestFileWithoutItsRuleFileOrWithAMistakeIsAUsageError() throws Exception {
    Path orphan = dir.resolve("missing.tests.yaml");
    Files.writeString(orphan, "cases:\n  - {name: a, events: x, expected: []}\n");
    assertThat(verify("--rules", dir.toString(), orphan.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("which is not among --rules (no such file)");

    Path broken = dir.resolve("hot_twice.tests.yaml");
    Files.writeString(broken, "cases:\n  - {name: a, events: x}\n");
    assertThat(verify("--rules", dir.toString(), broken.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("`expected` is missing");
  }

  @Test
  void noTestFilesIsAUsageError() {
    assertThat(verify("--rules", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no *.tests.yaml files in");
  }
}
