package io.vigil.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  private final Map<String, DeployedCommand> deployed = new LinkedHashMap<>();
  private final Map<String, List<RuleVersion>> history = new LinkedHashMap<>();
  private final Map<String, Long> answered = new LinkedHashMap<>();

  private void deployed(RuleCommand command) {
    deployed.put(
        command.topicKey(),
        new DeployedCommand(command.topicKey(), command, RuleCommand.versionOf(command), T0));
  }

  private void history(String key, long version, RuleCommand command) {
    history
        .computeIfAbsent(key, k -> new java.util.ArrayList<>())
        .add(new RuleVersion(key, version, command, T0));
  }

  private List<Publication> apply(Change... changes) {
    return new Plan(new DeployedRules(deployed), history, answered)
        .apply(List.of(changes), NOW)
        .publications();
  }

  private static RuleCommand.UpsertRule upsert(String id, long version, String source) {
    return new RuleCommand.UpsertRule(id, version, source, Long.MIN_VALUE, false);
  }

  @Test
  void aNewRuleStartsAtVersionOneAndIsFollowedUntilActive() {
    Publication p = apply(new Change.UpsertRule("r", "rule r A")).get(0);
    assertThat(p.changed()).isTrue();
    assertThat(p.version()).isEqualTo(1);
    assertThat(p.command()).isEqualTo(upsert("r", 1, "rule r A"));
    assertThat(p.rollout()).isEqualTo(new Rollout("r", 1, RuleStatus.State.ACTIVE, NOW));
  }

  @Test
  void theSameSourceAsDeployedPublishesNothingAndFollowsTheDeployedVersion() {
    deployed(upsert("r", 3, "rule r A"));
    Publication p = apply(new Change.UpsertRule("r", "rule r A")).get(0);
    assertThat(p.changed()).isFalse();
    assertThat(p.version()).isEqualTo(3);
    assertThat(p.rollout()).isEqualTo(new Rollout("r", 3, RuleStatus.State.ACTIVE, T0));
  }

  @Test
  void whitespaceAroundTheSourceIsNotAChangeButWhitespaceInsideIs() {
    deployed(upsert("r", 3, "rule r\n  A\n"));
    assertThat(apply(new Change.UpsertRule("r", "  rule r\n  A")).get(0).changed()).isFalse();
    assertThat(apply(new Change.UpsertRule("r", "rule r\n   A")).get(0).changed()).isTrue();
  }

  @Test
  void theNextVersionIsOneMoreThanTheHighestOnEitherTopic() {
    deployed(upsert("r", 3, "rule r A"));
    history("r", 7, new RuleCommand.DeleteRule("r"));
    assertThat(apply(new Change.UpsertRule("r", "rule r B")).get(0).version()).isEqualTo(8);
    history.clear();
    history("r", 2, upsert("r", 2, "old"));
    assertThat(apply(new Change.UpsertRule("r", "rule r B")).get(0).version()).isEqualTo(4);
  }

  @Test
  void aVersionTheJobAlreadyAnsweredIsNotUsedAgain() {
    // e.g. a forged command refused for its signature: its REJECTED answer must not look like the
    // answer to the next real command.
    answered.put("r", 4L);
    assertThat(apply(new Change.UpsertRule("r", "rule r A")).get(0).version()).isEqualTo(5);
  }

  @Test
  void aRollbackRepublishesTheOldSourceAsANewVersion() {
    history("r", 1, upsert("r", 1, "rule r A"));
    history("r", 2, upsert("r", 2, "rule r B"));
    deployed(upsert("r", 2, "rule r B"));
    Publication p = apply(new Change.Rollback("r", 1)).get(0);
    assertThat(p.command()).isEqualTo(upsert("r", 3, "rule r A"));
    assertThat(apply(new Change.Rollback("r", 2)).get(0).changed()).isFalse();
  }

  @Test
  void aRollbackToAnUnknownVersionOrToADisableFailsAndNamesTheKnownVersions() {
    history("r", 1, upsert("r", 1, "rule r A"));
    history("r", 2, new RuleCommand.DisableRule("r", 2));
    assertThatThrownBy(() -> apply(new Change.Rollback("r", 5)))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("r has no version 5")
        .hasMessageContaining("[1, 2]");
    assertThatThrownBy(() -> apply(new Change.Rollback("r", 2)))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("carries no source");
  }

  @Test
  void disablingTwiceOrDeletingWhatIsGonePublishesNothing() {
    deployed(new RuleCommand.DisableRule("r", 4));
    assertThat(apply(new Change.DisableRule("r")).get(0).changed()).isFalse();
    deployed.clear();
    deployed(new RuleCommand.DeleteRule("r"));
    assertThat(apply(new Change.DeleteRule("r")).get(0).changed()).isFalse();
    assertThatThrownBy(() -> apply(new Change.DisableRule("nowhere")))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("not deployed");
  }

  @Test
  void aDeleteGetsAHistoryVersionSoThatVersionsNeverRepeat() {
    deployed(upsert("r", 2, "rule r A"));
    Publication delete = apply(new Change.DeleteRule("r")).get(0);
    assertThat(delete.version()).isEqualTo(3);
    assertThat(delete.command()).isEqualTo(new RuleCommand.DeleteRule("r"));
    assertThat(delete.rollout().expected()).isEqualTo(RuleStatus.State.DELETED);
  }

  @Test
  void laterChangesOfOneBatchSeeTheEarlierOnes() {
    List<Publication> ps =
        apply(
            new Change.DeclareStream("s", "stream s A"),
            new Change.UpsertRule("r", "rule r A"),
            new Change.UpsertRule("r", "rule r A"),
            new Change.UpsertRule("r", "rule r B"));
    assertThat(ps)
        .extracting(p -> p.key() + " v" + p.version() + " " + p.changed())
        .containsExactly("stream:s v1 true", "r v1 true", "r v1 false", "r v2 true");
    assertThat(ps.get(0).command()).isEqualTo(new RuleCommand.DeclareStream("s", 1, "stream s A"));
  }

  @Test
  void streamsCannotBeDisabledOrDeleted() {
    deployed(new RuleCommand.DeclareStream("s", 1, "stream s A"));
    assertThatThrownBy(() -> apply(new Change.DeleteRule("stream:s")))
        .isInstanceOf(DeployException.class);
    assertThatThrownBy(() -> apply(new Change.DisableRule("stream:s")))
        .isInstanceOf(DeployException.class);
  }
}
