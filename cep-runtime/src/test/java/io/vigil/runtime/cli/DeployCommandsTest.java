package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.kafka.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil deploy / status / rollback / disable / delete} against a real broker with no job
 * running: what the commands refuse before publishing, and their exit statuses. (With a running
 * job: {@code deploy.DeployerEndToEndTest}.)
 */
class DeployCommandsTest {

  static final String STREAM =
      """
      stream maintenance
        time ts
        fields
          deviceId: string
          action: string
          ts: timestamp
      """;

  static final String RULE =
      """
      rule repair
        from maintenance
        partition by deviceId
        pattern
          f: action == "FAULT"
          then x: action == "FIXED"
        within 1h
        alert "repaired {deviceId}"
      """;

  @TempDir static Path dir;
  static KafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = KafkaBroker.builder().partitions(2).noAutoCreatedTopics().start();
    kafka.createTopics("vigil.rules", "vigil.rule-status");
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  record Run(int code, String out, String err) {}

  static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run vigilOnBroker(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--bootstrap-servers");
    all.add(kafka.servers());
    return vigil(all.toArray(String[]::new));
  }

  @Test
  void aRuleWithAnErrorIsReportedAtItsPositionAndNothingIsPublished() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(rules.resolve("streams.vgl"), STREAM);
    Files.writeString(rules.resolve("ok.vgl"), RULE.replace("repair", "fine"));
    Files.writeString(rules.resolve("bad.vgl"), RULE.replace("action ==", "acton =="));
    Run run = vigilOnBroker("deploy", "--rules", rules.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "bad.vgl:5:8: error: stream `maintenance` has no field `acton`",
            "acton",
            "did you mean `action`?")
        .contains("vigil deploy: 2 errors, nothing published")
        .doesNotContain("ok.vgl");
    try (KafkaBroker.Reader control = kafka.reader("vigil.rules")) {
      assertThat(control.poll()).isEmpty();
    }
  }

  @Test
  void withoutARunningJobTheDeployIsPublishedAndWaitingEndsWithExitStatus3() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("nojob"));
    Files.writeString(rules.resolve("streams.vgl"), STREAM);
    Files.writeString(rules.resolve("repair.vgl"), RULE);
    Run run = vigilOnBroker("deploy", "--rules", rules.toString(), "--timeout", "1s");
    assertThat(run.code()).as(run.toString()).isEqualTo(3);
    assertThat(run.out())
        .contains(
            "stream:maintenance v1 active on no subtask yet (no acknowledgement from the job)"
                + " (no complete acknowledgement within 1s)",
            "repair v1 active on no subtask yet");

    // Published all the same: the next deploy of the same files changes nothing.
    Run again = vigilOnBroker("deploy", "--rules", rules.toString(), "--no-wait");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("stream:maintenance v1 unchanged", "repair v1 unchanged");

    Run status = vigilOnBroker("status");
    assertThat(status.code()).isZero();
    assertThat(status.out())
        .containsPattern("RULE +VERSION +STATE +SUBTASKS +MESSAGE")
        .containsPattern("repair +v1 +active +- +no acknowledgement from the job");

    Run dryRun = vigilOnBroker("deploy", "--rules", rules.toString(), "--dry-run");
    assertThat(dryRun.out()).contains("repair unchanged");
    Files.writeString(rules.resolve("repair.vgl"), RULE.replace("1h", "2h"));
    assertThat(vigilOnBroker("deploy", "--rules", rules.toString(), "--dry-run").out())
        .contains("repair would be published as v2");
    assertThat(vigilOnBroker("status", "repair").out()).contains("repair v1").doesNotContain("v2");
  }

  @Test
  void rollingBackToAVersionThatDoesNotExistIsAnErrorThatNamesTheVersions() {
    Run run = vigilOnBroker("rollback", "nosuchrule", "--to", "3");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("nosuchrule has no version 3 (it has no history)");
    Run disable = vigilOnBroker("disable", "nosuchrule");
    assertThat(disable.code()).isEqualTo(2);
    assertThat(disable.err()).contains("rule nosuchrule is not deployed");
  }

  @Test
  void kafkaClientPropertiesReachEveryClientTheCommandsCreate() throws Exception {
    // The bootstrap servers given as client properties win over --bootstrap-servers (nothing
    // listens on port 1): admin, producer and consumers all reach the broker.
    Path rules = Files.createDirectories(dir.resolve("props"));
    Files.writeString(rules.resolve("streams.vgl"), STREAM.replace("maintenance", "props"));
    Path config = Files.writeString(dir.resolve("client.properties"), "client.id=vigil-deploy\n");
    String[] connection = {
      "--bootstrap-servers",
      "localhost:1",
      "--kafka-config",
      config.toString(),
      "-X",
      "bootstrap.servers=" + kafka.servers()
    };
    List<String> deploy = new ArrayList<>(List.of("deploy", "--rules", rules.toString()));
    deploy.add("--no-wait");
    deploy.addAll(List.of(connection));
    Run run = vigil(deploy.toArray(String[]::new));
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains("stream:props v1 published (active)");
    List<String> status = new ArrayList<>(List.of("status", "stream:props"));
    status.addAll(List.of(connection));
    assertThat(vigil(status.toArray(String[]::new)).out()).contains("v1 ", "stream declaration");
  }

  @Test
  void theStatusOfARuleNeverDeployedIsExitStatus1() {
    Run run = vigilOnBroker("status", "nosuchrule");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("nosuchrule was never deployed");
  }

  @Test
  void aNamedSigningKeyThatIsNotSetIsAUsageError() throws Exception {
    Run run =
        vigilOnBroker("status", "--signing-key-env", "VIGIL_TEST_KEY_THAT_IS_NEVER_SET_ANYWHERE");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("VIGIL_TEST_KEY_THAT_IS_NEVER_SET_ANYWHERE is not set");
    Path shortKey = Files.writeString(dir.resolve("short.key"), "short");
    Run tooShort = vigilOnBroker("status", "--signing-key-file", shortKey.toString());
    assertThat(tooShort.code()).isEqualTo(2);
    assertThat(tooShort.err()).contains("at least 16 bytes");
  }

  @Test
  void everyDeployCommandExplainsItselfAndItsExitStatuses() {
    for (String command : List.of("deploy", "status", "rollback", "disable", "delete")) {
      Run help = vigil(command, "--help");
      assertThat(help.code()).as(command).isZero();
      assertThat(help.out())
          .as(command)
          .contains("Exit status:", "--bootstrap-servers", "--kafka-config", "--signing-key-env");
    }
    assertThat(vigil("deploy", "--help").out()).contains("--rules", "--wait", "--timeout");
    assertThat(vigil("--help").out()).contains("deploy", "status", "rollback");
  }
}
