package io.vigil.runtime.matcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * A key's one keyed value: the NFA states of its live rules and the waiting final stages of its
 * live families travel together through a checkpoint and a snapshot's copy, leave with their rule,
 * and a checkpoint of another layout is refused rather than misread.
 */
class KeyStateTest {

  private static final Event LOGIN = new Event("logins", 1_000, new Object[] {"a1", "DE"});
  private static final String FAMILY = "family#1";

  private static WaitingMatches waitingOn(String... members) {
    WaitingMatches waiting = new WaitingMatches(List.of(members));
    WaitingMatch m = new WaitingMatch(1_000, 0, Map.of("l", List.of(LOGIN)));
    for (int i = 0; i < members.length; i++) {
      m.startWaiting(i);
    }
    waiting.matches().add(m);
    return waiting;
  }

  private static KeyState withFamily(WaitingMatches waiting) {
    KeyState key = new KeyState();
    key.keep(FAMILY, new NFAState(List.of()));
    key.keep("single#1", new NFAState(List.of()));
    assertThat(key.waitingMatches(FAMILY, waiting)).isTrue();
    key.lastSeen(1_000);
    key.timer(601_000);
    return key;
  }

  @Test
  void aFamilysWaitingMatchesSurviveACheckpointWithTheKeysRules() throws Exception {
    KeyState key = withFamily(waitingOn("a#1", "b#1"));

    DataOutputSerializer out = new DataOutputSerializer(64);
    KeyState.Serializer.INSTANCE.serialize(key, out);
    KeyState back =
        KeyState.Serializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(back.liveStateIds()).containsExactly(FAMILY, "single#1");
    assertThat(back.waitingMatches("single#1")).isNull();
    WaitingMatches waiting = back.waitingMatches(FAMILY);
    assertThat(waiting.members()).containsExactly("a#1", "b#1");
    assertThat(waiting.count()).isEqualTo(2);
    assertThat(waiting.matches().get(0).prefix()).isEqualTo(Map.of("l", List.of(LOGIN)));
    assertThat(back.lastSeen()).isEqualTo(1_000);
    assertThat(back.timer()).isEqualTo(601_000);
    assertThat(back.consistent()).isTrue();
  }

  @Test
  void aCopyForASnapshotKeepsTheWaitingMatchesAsTheyWere() {
    WaitingMatches live = waitingOn("a#1", "b#1");
    KeyState key = withFamily(live);

    KeyState snapshot = KeyState.Serializer.INSTANCE.copy(key);
    live.release("a#1");

    assertThat(snapshot.waitingMatches(FAMILY)).isNotSameAs(live);
    assertThat(snapshot.waitingMatches(FAMILY).count()).isEqualTo(2);
    assertThat(key.waitingMatches(FAMILY).count()).isEqualTo(1);
  }

  @Test
  void waitingMatchesLeaveWithTheirFamilyOrWhenNoneIsLeft() {
    KeyState key = withFamily(waitingOn("a#1", "b#1"));
    assertThat(key.waitingMatches(FAMILY, key.waitingMatches(FAMILY))).isFalse();

    assertThat(key.waitingMatches(FAMILY, new WaitingMatches(List.of("a#1")))).isTrue();
    assertThat(key.waitingMatches(FAMILY)).isNull();
    assertThat(key.consistent()).isTrue();

    key.waitingMatches(FAMILY, waitingOn("a#1"));
    assertThat(key.remove(FAMILY)).isTrue();
    assertThat(key.waitingMatches(FAMILY)).isNull();
    assertThat(key.consistent()).isTrue();
  }

  @Test
  void aReleasedMemberLetsGoOfItsWaitsInEveryFamilyOnTheKey() {
    KeyState key = withFamily(waitingOn("a#1", "b#1"));
    key.keep("other#1", new NFAState(List.of()));
    key.waitingMatches("other#1", waitingOn("a#1"));

    assertThat(key.releaseMember("a#1")).isTrue();

    assertThat(key.waitingMatches(FAMILY).count()).isEqualTo(1);
    assertThat(key.waitingMatches("other#1")).isNull();
    assertThat(key.releaseMember("a#1")).isFalse();
    assertThat(key.consistent()).isTrue();
  }

  @Test
  void aCheckpointOfTheLayoutWithoutWaitingMatchesIsRefused() throws Exception {
    TypeSerializerSnapshot<KeyState> current = KeyState.Serializer.INSTANCE.snapshotConfiguration();

    // The snapshot as the layout before wrote it: the singleton's, without a layout.
    KeyState.Serializer.Snapshot before = new KeyState.Serializer.Snapshot();
    before.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
    TypeSerializerSnapshot<KeyState> same = readBack(current);

    assertThat(before.layout()).isEqualTo(1);
    assertThat(current.resolveSchemaCompatibility(before).isIncompatible()).isTrue();
    assertThat(((KeyState.Serializer.Snapshot) same).layout())
        .isEqualTo(KeyState.Serializer.Snapshot.LAYOUT);
    TypeSerializerSchemaCompatibility<KeyState> compatibility =
        current.resolveSchemaCompatibility(same);
    assertThat(compatibility.isCompatibleAsIs()).isTrue();
  }

  private static TypeSerializerSnapshot<KeyState> readBack(
      TypeSerializerSnapshot<KeyState> snapshot) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    return TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), KeyStateTest.class.getClassLoader());
  }
}
