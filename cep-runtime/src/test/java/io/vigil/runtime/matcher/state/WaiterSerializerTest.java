package io.vigil.runtime.matcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * A family member's waiting final stage survives a checkpoint as it was, completed or not, and
 * waiters written in the earlier format (start time and prefix only) are restored by migration.
 */
class WaiterSerializerTest {

  private static final Event LOGIN = new Event("logins", 1_000, new Object[] {"a1", "DE"});
  private static final Event PAYMENT = new Event("payments", 2_000, new Object[] {"a1", "FR"});

  private static byte[] write(TypeSerializer<Waiter> serializer, Waiter waiter) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(waiter, out);
    return out.getCopyOfBuffer();
  }

  private static Waiter read(TypeSerializer<Waiter> serializer, byte[] bytes) throws Exception {
    return serializer.deserialize(new DataInputDeserializer(bytes));
  }

  @Test
  void aCompletedWaiterKeepsItsOrderAndItsFinalEvent() throws Exception {
    Waiter waiter = new Waiter(1_000, 7, Map.of("l", List.of(LOGIN))).completedBy(PAYMENT, 3);

    Waiter back = read(Waiter.Serializer.INSTANCE, write(Waiter.Serializer.INSTANCE, waiter));

    assertThat(back).isEqualTo(waiter);
    assertThat(back.waiting()).isFalse();
    assertThat(back.completion().orElseThrow().order()).isEqualTo(3);
  }

  @Test
  void waitersOfTheEarlierFormatAreMigratedOnRestore() throws Exception {
    Waiter old = new Waiter(1_000, 0, Map.of("l", List.of(LOGIN)));
    byte[] bytes = write(Waiter.StartOnlySerializer.INSTANCE, old);
    var oldSnapshot = Waiter.StartOnlySerializer.INSTANCE.snapshotConfiguration();

    var compatibility =
        Waiter.Serializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
    Waiter restored = read(oldSnapshot.restoreSerializer(), bytes);

    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
    assertThat(restored).isEqualTo(old);
    assertThat(restored.waiting()).isTrue();
    assertThat(
            Waiter.Serializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(Waiter.Serializer.INSTANCE.snapshotConfiguration())
                .isCompatibleAsIs())
        .isTrue();
  }

  @Test
  void ofTwoMatchesBegunAtOneTimeTheEarlierInTheQueueComesFirst() {
    Waiter second = new Waiter(1_000, 5, Map.of());
    assertThat(second.startsNoLaterThan(1_000, 5)).isTrue();
    assertThat(second.startsNoLaterThan(1_000, 4)).isFalse();
    assertThat(second.startsNoLaterThan(999, 9)).isFalse();
    assertThat(second.startsNoLaterThan(1_001, 0)).isTrue();
  }
}
