package io.vigil.runtime.job;

import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses control records; one that is not a valid command is answered with a REJECTED status
 * (subtask -1: no matcher instance saw it) instead of failing the job.
 */
final class ControlParser extends ProcessFunction<KafkaRecords.ControlRecord, RuleCommand> {

  private static final long serialVersionUID = 1L;

  static final OutputTag<RuleStatus> INVALID =
      new OutputTag<>("vigil-invalid-control", TypeInformation.of(RuleStatus.class));

  @Override
  public void processElement(
      KafkaRecords.ControlRecord record, Context ctx, Collector<RuleCommand> out) {
    try {
      out.collect(ControlJson.read(record.key(), record.value(), record.timestamp()));
    } catch (ControlJson.InvalidCommandException e) {
      ctx.output(
          INVALID,
          new RuleStatus(
              record.key() == null ? "" : record.key(),
              0,
              -1,
              0,
              RuleStatus.State.REJECTED,
              "invalid control record: " + e.getMessage(),
              System.currentTimeMillis()));
    }
  }
}
