package io.vigil.runtime.job;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses control records; one that is not a valid command, or not validly signed when the job has a
 * signing key, is answered with a REJECTED status (subtask -1: no matcher instance saw it) instead
 * of failing the job.
 */
final class ControlParser extends ProcessFunction<KafkaRecords.ControlRecord, RuleCommand> {

  private static final long serialVersionUID = 1L;

  static final OutputTag<RuleStatus> INVALID =
      new OutputTag<>("vigil-invalid-control", TypeInformation.of(RuleStatus.class));

  /** Null when commands need no signature. */
  private final CommandSignature signature;

  ControlParser(Optional<CommandSignature> signature) {
    this.signature = signature.orElse(null);
  }

  @Override
  public void processElement(
      KafkaRecords.ControlRecord record, Context ctx, Collector<RuleCommand> out) {
    RuleCommand command;
    try {
      command = ControlJson.read(record.key(), record.value(), record.timestamp());
    } catch (ControlJson.InvalidCommandException e) {
      ctx.output(INVALID, rejected(record, 0, "invalid control record: " + e.getMessage()));
      return;
    }
    Optional<String> unsigned = unsigned(signature, record);
    if (unsigned.isPresent()) {
      // Answered under the command's own version, so that whoever published it sees the refusal.
      long version = RuleCommand.versionOf(command);
      ctx.output(INVALID, rejected(record, version, "not applied: " + unsigned.get()));
      return;
    }
    out.collect(command);
  }

  /** Why {@code record} is not validly signed; empty when it is, or when no key is configured. */
  static Optional<String> unsigned(CommandSignature signature, KafkaRecords.ControlRecord record) {
    return signature == null
        ? Optional.empty()
        : signature.problem(record.key(), record.value(), record.signature());
  }

  private static RuleStatus rejected(KafkaRecords.ControlRecord record, long version, String why) {
    return new RuleStatus(
        record.key() == null ? "" : record.key(),
        version,
        -1,
        0,
        RuleStatus.State.REJECTED,
        why,
        System.currentTimeMillis());
  }
}
