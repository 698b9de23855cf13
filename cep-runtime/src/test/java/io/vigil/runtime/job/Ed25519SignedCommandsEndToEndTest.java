package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job configured with an Ed25519 public key applies only commands signed with the matching
 * private key, at start-up and while running; commands signed with another key, with an HMAC or not
 * at all are answered REJECTED with the reason.
 */
class Ed25519SignedCommandsEndToEndTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;

  static final List<String> PAIR = CommandSignature.generateEd25519();
  static final CommandSignature DEPLOY_TOOL = CommandSignature.of(PAIR.get(0));

  @Test
  void onlyCommandsSignedWithThePrivateKeyOfTheJobsPublicKeyApply() throws Exception {
    try (KafkaBroker kafka = JobFixture.broker();
        JobFixture f =
            new JobFixture(kafka, checkpoints, Map.of("control.signing-key", PAIR.get(1)))) {
      // Read at start-up.
      publish(
          kafka, DEPLOY_TOOL, new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
      publish(kafka, DEPLOY_TOOL, JobFixture.upsert("canary", 1, JobFixture.CANARY));
      f.start("", UnaryOperator.identity());
      // Read while running.
      RuleCommand v1 = JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed"));
      publish(kafka, DEPLOY_TOOL, v1);
      f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);
      CommandSignature stranger = CommandSignature.of(CommandSignature.generateEd25519().get(0));
      publish(
          kafka, stranger, JobFixture.upsert("fault_fixed", 2, JobFixture.faultThen("ACK", "two")));
      publish(
          kafka,
          CommandSignature.ofSecret("a-shared-hmac-secret-key"),
          JobFixture.upsert("fault_fixed", 3, JobFixture.faultThen("ACK", "three")));
      f.publish(JobFixture.upsert("fault_fixed", 4, JobFixture.faultThen("ACK", "four")));
      f.awaitStatus("fault_fixed", 2, RuleStatus.State.REJECTED, 1);
      f.awaitStatus("fault_fixed", 3, RuleStatus.State.REJECTED, 1);
      f.awaitStatus("fault_fixed", 4, RuleStatus.State.REJECTED, 1);
      assertThat(message(f, 2)).contains("bad signature");
      assertThat(message(f, 3)).contains("unsupported signature scheme");
      assertThat(message(f, 4)).contains("unsigned");

      f.event("f1", "d1", "FAULT", 0);
      f.event("a1", "d1", "ACK", 1);
      f.event("x1", "d1", "FIXED", 2);
      f.barrier("d1", 10);
      assertThat(f.alerts("fault_fixed"))
          .extracting(a -> a.ruleVersion() + " " + a.message())
          .containsExactly("1 fixed d1");
      assertThat(f.alerts("canary")).extracting(Alert::message).isNotEmpty();
    }
  }

  static void publish(KafkaBroker kafka, CommandSignature signer, RuleCommand command) {
    String key = command.topicKey();
    String value = ControlJson.write(command);
    RecordHeader header =
        new RecordHeader(
            CommandSignature.HEADER, signer.sign(key, value).getBytes(StandardCharsets.UTF_8));
    kafka.sendAll(List.of(new ProducerRecord<>("vigil.rules", null, key, value, List.of(header))));
  }

  private static String message(JobFixture f, long version) {
    return f.statuses().stream()
        .filter(s -> s.ruleId().equals("fault_fixed") && s.version() == version)
        .map(RuleStatus::message)
        .findFirst()
        .orElseThrow();
  }
}
