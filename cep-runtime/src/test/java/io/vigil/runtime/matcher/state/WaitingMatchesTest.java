package io.vigil.runtime.matcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * A family's waiting matches on a key: held once for every member that waits on them, renumbered
 * when the members change, copied apart for a snapshot, and written to a checkpoint and read back
 * as they were.
 */
class WaitingMatchesTest {

  private static final Event LOGIN = new Event("logins", 1_000, new Object[] {"a1", "DE"});
  private static final Event PAYMENT = new Event("payments", 2_000, new Object[] {"a1", "FR"});

  private static WaitingMatches roundTrip(WaitingMatches matches) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    WaitingMatches.Serializer.INSTANCE.serialize(matches, out);
    return WaitingMatches.Serializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  private static WaitingMatch login(long order) {
    return new WaitingMatch(1_000, order, Map.of("l", List.of(LOGIN)));
  }

  @Test
  void aMatchIsHeldByEachMemberThatWaitsOrHoldsItCompleted() {
    WaitingMatch m = login(0);
    m.startWaiting(0);
    m.startWaiting(70);
    m.startWaiting(130);
    m.complete(70, PAYMENT, 4);

    assertThat(m.waits(0)).isTrue();
    assertThat(m.waits(70)).isFalse();
    assertThat(m.completion(70).orElseThrow()).isEqualTo(new WaitingMatch.Completion(PAYMENT, 4));
    assertThat(m.completion(0)).isEmpty();
    assertThat(m.holders()).isEqualTo(3);
    assertThat(m.nextWaiting(1)).isEqualTo(130);
    assertThat(m.nextCompleted(0)).isEqualTo(70);

    m.stopAllWaiting();
    assertThat(m.anyWaiting()).isFalse();
    assertThat(m.abandoned()).isFalse();
    m.release(70);
    assertThat(m.abandoned()).isTrue();
  }

  @Test
  void membersThatLeaveLetGoAndTheRestKeepTheirPlaceUnderTheirNewPositions() {
    WaitingMatches matches = new WaitingMatches(List.of("a#1", "b#1", "c#1"));
    WaitingMatch first = login(0);
    first.startWaiting(0);
    first.complete(2, PAYMENT, 1);
    WaitingMatch second = login(1);
    second.startWaiting(1);
    matches.matches().add(first);
    matches.matches().add(second);

    List<String> now = List.of("c#1", "d#1", "a#1");
    assertThat(matches.forMembers(now)).isTrue();

    assertThat(matches.members()).isSameAs(now);
    // b left: the second match was only b's.
    assertThat(matches.matches()).hasSize(1);
    WaitingMatch kept = matches.matches().get(0);
    assertThat(kept.waits(2)).isTrue();
    assertThat(kept.completion(0).orElseThrow().event()).isEqualTo(PAYMENT);
    assertThat(kept.heldBy(1)).isFalse();
    assertThat(matches.count()).isEqualTo(2);
    assertThat(matches.forMembers(now)).isFalse();
  }

  @Test
  void aReleasedMemberLetsGoOfEveryMatch() {
    WaitingMatches matches = new WaitingMatches(List.of("a#1", "b#1"));
    WaitingMatch m = login(0);
    m.startWaiting(0);
    m.startWaiting(1);
    matches.matches().add(m);

    assertThat(matches.release("a#1")).isTrue();
    assertThat(matches.count()).isEqualTo(1);
    assertThat(matches.release("a#1")).isFalse();
    assertThat(matches.release("b#1")).isTrue();
    assertThat(matches.isEmpty()).isTrue();
  }

  @Test
  void aCopyForASnapshotIsNotChangedByTheLiveState() {
    WaitingMatches live = new WaitingMatches(List.of("a#1", "b#1"));
    WaitingMatch m = login(0);
    m.startWaiting(0);
    m.startWaiting(1);
    live.matches().add(m);

    WaitingMatches snapshot = WaitingMatches.Serializer.INSTANCE.copy(live);
    m.complete(0, PAYMENT, 2);
    live.matches().add(login(1));

    assertThat(snapshot.matches()).hasSize(1);
    assertThat(snapshot.matches().get(0).waits(0)).isTrue();
    assertThat(snapshot.matches().get(0).completion(0)).isEmpty();
  }

  @Test
  void waitingAndCompletedMembersSurviveACheckpoint() throws Exception {
    List<String> members = IntStream.range(0, 150).mapToObj(i -> "r" + i + "#1").toList();
    WaitingMatches matches = new WaitingMatches(members);
    WaitingMatch m = login(7);
    m.startWaiting(3);
    m.startWaiting(149);
    m.complete(64, PAYMENT, 5);
    matches.matches().add(m);

    WaitingMatches back = roundTrip(matches);

    assertThat(back.members()).isEqualTo(members);
    WaitingMatch read = back.matches().get(0);
    assertThat(read.start()).isEqualTo(1_000);
    assertThat(read.order()).isEqualTo(7);
    assertThat(read.prefix()).isEqualTo(Map.of("l", List.of(LOGIN)));
    assertThat(read.waits(3)).isTrue();
    assertThat(read.waits(149)).isTrue();
    assertThat(read.waits(64)).isFalse();
    assertThat(read.completion(64).orElseThrow())
        .isEqualTo(new WaitingMatch.Completion(PAYMENT, 5));
    assertThat(read.holders()).isEqualTo(3);
    // Read back, the table equals the family's: nothing to renumber.
    assertThat(back.forMembers(members)).isFalse();
    assertThat(back.members()).isSameAs(members);
  }
}
