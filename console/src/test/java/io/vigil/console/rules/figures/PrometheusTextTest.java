package io.vigil.console.rules.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  static final String SCRAPE =
      """
      # HELP flink_taskmanager_job_task_operator_rule_matches matches (scope: taskmanager_job_task_operator_rule)
      # TYPE flink_taskmanager_job_task_operator_rule_matches gauge
      flink_taskmanager_job_task_operator_rule_matches{job_name="vigil",rule="card_testing",subtask_index="0",} 3.0
      flink_taskmanager_job_task_operator_rule_matches{job_name="vigil",rule="card_testing",subtask_index="1",} 4.0
      flink_taskmanager_job_task_operator_rule_matches{job_name="vigil",rule="odd \\"name\\", really",subtask_index="0",} 1.0
      flink_taskmanager_job_task_operator_rule_livePartialMatches{rule="card_testing",subtask_index="0",} 2.0
      flink_taskmanager_job_task_operator_rule_eventsEvaluated{rule="card_testing",subtask_index="0",} 1000.0
      flink_taskmanager_job_task_operator_rule_evaluationNanos{rule="card_testing",subtask_index="0",} 2500000.0
      flink_taskmanager_job_task_operator_rule_detectionLatencyMs{rule="card_testing",quantile="0.5",subtask_index="0",} 40.0
      flink_taskmanager_job_task_operator_rule_detectionLatencyMs{rule="card_testing",quantile="0.5",subtask_index="1",} 55.0
      flink_taskmanager_job_task_operator_rule_detectionLatencyMs{rule="card_testing",quantile="0.99",subtask_index="1",} NaN
      flink_taskmanager_job_task_operator_rule_detectionLatencyMs_count{rule="card_testing",subtask_index="1",} 12.0
      flink_taskmanager_job_task_operator_lateEvents{subtask_index="0",} 9.0
      this line is not a sample
      flink_jobmanager_numRunningJobs 1.0
      """;

  @Test
  void samplesAreReadWithTheirEscapedLabelsAndOtherLinesAreSkipped() {
    List<PrometheusText.Sample> samples = PrometheusText.parse(SCRAPE);
    assertThat(samples).hasSize(12);
    assertThat(samples.get(2).labels()).containsEntry("rule", "odd \"name\", really");
    assertThat(samples.get(11))
        .isEqualTo(new PrometheusText.Sample("flink_jobmanager_numRunningJobs", Map.of(), 1.0));
  }

  @Test
  void figuresAreSummedOverSubtasksAndLatencyQuantilesTakeTheHighest() {
    Map<String, RuleFigures> rules = RuntimeFigures.perRule(PrometheusText.parse(SCRAPE));
    assertThat(rules).containsOnlyKeys("card_testing", "odd \"name\", really");
    RuleFigures card = rules.get("card_testing");
    assertThat(card.matches()).isEqualTo(7);
    assertThat(card.partialMatches()).isEqualTo(2);
    assertThat(card.eventsEvaluated()).isEqualTo(1000);
    assertThat(card.microsPerEvent()).hasValue(2.5);
    assertThat(card.latencyMedianMs()).hasValue(55.0);
    assertThat(card.latencyP99Ms()).as("NaN: no figure").isEqualTo(Optional.empty());
  }
}
