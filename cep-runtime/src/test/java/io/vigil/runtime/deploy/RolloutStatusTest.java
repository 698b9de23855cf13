package io.vigil.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.control.RuleStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {

  private static final Instant SINCE = Instant.parse("2026-12-04T10:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final Rollout V3 = new Rollout("r", 3, State.ACTIVE, SINCE);

  private static RuleStatus status(long version, int subtask, int parallelism, State state) {
    return new RuleStatus(
        "r",
        version,
        subtask,
        parallelism,
        state,
        state.name().toLowerCase(),
        SINCE.toEpochMilli());
  }

  @Test
  void completeWhenTheLatestAnswerOfEverySubtaskIsTheExpectedState() {
    RolloutStatus one = new RolloutStatus(V3, List.of(status(3, 1, 2, State.ACTIVE)));
    assertThat(one.progress()).isEqualTo(RolloutStatus.Progress.WAITING);
    assertThat(one.summary()).isEqualTo("r v3 active on 1/2 subtasks");
    RolloutStatus both =
        new RolloutStatus(
            V3, List.of(status(3, 1, 2, State.ACTIVE), status(3, 0, 2, State.FLAGGED)));
    assertThat(both.progress()).isEqualTo(RolloutStatus.Progress.COMPLETE);
    assertThat(both.subtasksByState())
        .containsExactly(
            java.util.Map.entry(State.ACTIVE, 1L), java.util.Map.entry(State.FLAGGED, 1L));
    assertThat(both.summary())
        .isEqualTo(
            "r v3 active on 2/2 subtasks (flagged: partial-match cap reached on 1 subtasks)");
  }

  @Test
  void theParallelismIsTheLatestReportedAndSubtasksBeyondItDoNotCount() {
    // Answers from before a rescale from 3 to 2 subtasks, then from the rescaled job.
    RolloutStatus rescaled =
        new RolloutStatus(
            V3,
            List.of(
                status(3, 2, 3, State.ACTIVE),
                status(3, 0, 2, State.ACTIVE),
                status(3, 1, 2, State.ACTIVE)));
    assertThat(rescaled.parallelism()).isEqualTo(2);
    assertThat(rescaled.bySubtask()).containsOnlyKeys(0, 1);
    assertThat(rescaled.progress()).isEqualTo(RolloutStatus.Progress.COMPLETE);
  }

  @Test
  void oneRejectionRejectsTheRolloutWithItsMessage() {
    RuleStatus rejected =
        new RuleStatus("r", 3, -1, 0, State.REJECTED, "not applied: bad signature", 0);
    RolloutStatus status = new RolloutStatus(V3, List.of(rejected));
    assertThat(status.progress()).isEqualTo(RolloutStatus.Progress.REJECTED);
    assertThat(status.summary()).isEqualTo("r v3 rejected: not applied: bad signature");
    assertThat(new RolloutStatus(V3, List.of()).summary())
        .isEqualTo("r v3 active on no subtask yet (no acknowledgement from the job)");
  }

  @Test
  void answersAreMatchedByKeyVersionAndTimeAndADeleteByItsState() {
    assertThat(RolloutStatus.answers(V3, status(3, 0, 2, State.ACTIVE), SKEW)).isTrue();
    assertThat(RolloutStatus.answers(V3, status(2, 0, 2, State.ACTIVE), SKEW)).isFalse();
    RuleStatus otherRule = new RuleStatus("q", 3, 0, 2, State.ACTIVE, "", SINCE.toEpochMilli());
    assertThat(RolloutStatus.answers(V3, otherRule, SKEW)).isFalse();
    RuleStatus tooOld =
        new RuleStatus("r", 3, 0, 2, State.ACTIVE, "", SINCE.minus(SKEW).toEpochMilli() - 1);
    assertThat(RolloutStatus.answers(V3, tooOld, SKEW)).isFalse();
    // An invalid record under the key is answered with version 0 on subtask -1.
    RuleStatus invalid =
        new RuleStatus("r", 0, -1, 0, State.REJECTED, "not JSON", SINCE.toEpochMilli());
    assertThat(RolloutStatus.answers(V3, invalid, SKEW)).isTrue();
    // The job answers a delete under the rule's last version.
    Rollout delete = new Rollout("r", 4, State.DELETED, SINCE);
    assertThat(RolloutStatus.answers(delete, status(3, 0, 2, State.DELETED), SKEW)).isTrue();
    assertThat(RolloutStatus.answers(delete, status(3, 0, 2, State.ACTIVE), SKEW)).isFalse();
  }
}
