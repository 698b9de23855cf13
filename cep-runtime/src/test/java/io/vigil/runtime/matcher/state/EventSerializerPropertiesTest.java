package io.vigil.runtime.matcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutedSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Events and routed events come back from their bytes as they went in. */
class EventSerializerPropertiesTest {

  @Property(tries = 300)
  void anEventSurvivesItsBytes(@ForAll("values") List<Object> values) throws IOException {
    Event event = new Event("payments", 1_764_000_000_123L, values.toArray());
    Event back = roundTrip(event);
    assertThat(back.stream()).isEqualTo(event.stream());
    assertThat(back.timestamp()).isEqualTo(event.timestamp());
    assertThat(valuesOf(back)).containsExactlyElementsOf(values);
  }

  @Property(tries = 100)
  void aRoutedEventSurvivesItsBytes(
      @ForAll("strings") String key,
      @ForAll("values") List<Object> values,
      @ForAll @LongRange(min = -1, max = Long.MAX_VALUE) long order)
      throws IOException {
    Routed routed = new Routed(key, new Event("s", 7, values.toArray()), false, 5000, 3, order);
    DataOutputSerializer out = new DataOutputSerializer(64);
    RoutedSerializer.INSTANCE.serialize(routed, out);
    Routed back =
        RoutedSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.key()).isEqualTo(key);
    assertThat(back.primary()).isFalse();
    assertThat(back.lateness()).isEqualTo(5000);
    assertThat(back.sourcePartition()).isEqualTo(3);
    assertThat(back.order()).isEqualTo(order);
    assertThat(valuesOf(back.event())).containsExactlyElementsOf(values);
  }

  @Test
  void aRoutedEventWrittenBeforeItCarriedAnOrderIsStillRead() throws IOException {
    // key, primary, lateness, partition, event: the form without an order.
    DataOutputSerializer out = new DataOutputSerializer(64);
    EventSerializer.writeString("k", out);
    out.writeBoolean(true);
    out.writeLong(5000);
    out.writeInt(2);
    EventSerializer.INSTANCE.serialize(new Event("s", 7, new Object[] {"v"}), out);
    Routed back =
        RoutedSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.sourcePartition()).isEqualTo(2);
    assertThat(back.order()).isEqualTo(Routed.ARRIVAL_ORDER);
    assertThat(valuesOf(back.event())).containsExactly("v");
  }

  @Test
  void stringsOfEarlierVersionsAreStillRead() throws IOException {
    // Tag 1 and writeUTF: how strings were written before the Latin-1 and UTF-8 forms.
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeUTF("payments");
    out.writeLong(42);
    out.writeInt(2);
    out.writeByte(1);
    out.writeUTF("card-7");
    out.writeByte(1);
    out.writeUTF("Zürich €");
    Event back =
        EventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(valuesOf(back)).containsExactly("card-7", "Zürich €");
  }

  @Test
  void aStringLongerThanWriteUtfAllowsSurvives() throws IOException {
    String big = "é€".repeat(40_000);
    assertThat(roundTrip(new Event("s", 1, new Object[] {big})).value(0)).isEqualTo(big);
  }

  private static List<Object> valuesOf(Event event) {
    List<Object> values = new java.util.ArrayList<>();
    for (int i = 0; i < event.size(); i++) {
      values.add(event.value(i));
    }
    return values;
  }

  private static Event roundTrip(Event event) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    EventSerializer.INSTANCE.serialize(event, out);
    return EventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Provide
  Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ascii().ofMaxLength(20),
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20),
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.of("", "card-1", "Zürich", "€uro", "日本", "\uD83D\uDE00 emoji", "lone \uD800"));
  }

  @Provide
  Arbitrary<List<Object>> values() {
    Arbitrary<Object> value =
        Arbitraries.oneOf(
            strings().map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.bigDecimals().ofScale(2).map(d -> (Object) d),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.integers().map(i -> (Object) i),
            Arbitraries.just((Object) null),
            Arbitraries.just((Object) new BigDecimal("1200.00")));
    return value.list().ofMaxSize(12);
  }
}
