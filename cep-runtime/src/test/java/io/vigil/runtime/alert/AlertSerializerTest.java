package io.vigil.runtime.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** An alert between the job's tasks comes out as it went in, down to its JSON. */
class AlertSerializerTest {

  private static Alert roundTrip(Alert alert) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    AlertSerializer.INSTANCE.serialize(alert, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    Alert read = AlertSerializer.INSTANCE.deserialize(in);
    assertThat(in.available()).isZero();
    return read;
  }

  @Property(tries = 1000)
  void anAlertReadBackIsTheAlertWritten(@ForAll("alerts") Alert alert) throws IOException {
    Alert read = roundTrip(alert);

    assertThat(read).isEqualTo(alert);
    assertThat(AlertJson.write(read)).isEqualTo(AlertJson.write(alert));
  }

  @Test
  void decimalsKeepTheirScaleAndMapsTheirOrder() throws IOException {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("z", new BigDecimal("899.00"));
    event.put("a", Map.of("country", "FR"));
    Alert alert = alert(Map.of("cardId", "c1"), Map.of("a", List.of(event)));

    Map<String, Object> read = roundTrip(alert).events().get("a").get(0);

    assertThat(read.keySet()).containsExactly("z", "a");
    assertThat(read.get("z")).isEqualTo(new BigDecimal("899.00"));
    assertThat(AlertJson.write(roundTrip(alert))).contains("\"z\":899.00");
  }

  @Test
  void aCorruptValueIsAnIoErrorNotAnotherAlert() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    AlertSerializer.INSTANCE.serialize(alert(Map.of(), Map.of()), out);
    byte[] bytes = out.getCopyOfBuffer();
    // The kind's byte, after the two ids (a tag, a length and their characters) and the version.
    int kindAt = (1 + 2 + "id-1".length()) + (1 + 2 + "rule".length()) + 8;
    bytes[kindAt] = 9;

    assertThatThrownBy(() -> AlertSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("kind");
  }

  private static Alert alert(
      Map<String, Object> key, Map<String, List<Map<String, Object>>> events) {
    return new Alert(
        "id-1",
        "rule",
        3,
        Alert.Kind.MATCH,
        "high",
        "title",
        "message",
        List.of("fraud"),
        Optional.of("team"),
        key,
        1,
        2,
        3,
        events,
        Map.of(),
        false);
  }

  @Provide
  Arbitrary<Alert> alerts() {
    Arbitrary<String> text =
        Arbitraries.strings().withChars("aZ0 é€\uD83D\uDE00\uD800\"\\").ofMaxLength(12);
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            text.map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.integers().map(i -> (Object) i),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.of("899.00", "-0.0", "1E+3", "12345678901234567890.123")
                .map(s -> (Object) new BigDecimal(s)),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.just(null));
    Arbitrary<Object> nested =
        Arbitraries.oneOf(
            scalar,
            scalar.list().ofMaxSize(3).map(l -> (Object) l),
            Arbitraries.maps(text, scalar).ofMaxSize(3).map(m -> (Object) new LinkedHashMap<>(m)));
    Arbitrary<Map<String, Object>> object =
        Arbitraries.maps(text, nested).ofMaxSize(4).map(LinkedHashMap::new);
    Arbitrary<Map<String, List<Map<String, Object>>>> events =
        Arbitraries.maps(text, object.list().ofMaxSize(3)).ofMaxSize(3).map(LinkedHashMap::new);
    Arbitrary<Map<String, Integer>> dropped =
        Arbitraries.maps(text, Arbitraries.integers().between(1, 1000)).ofMaxSize(2);
    Arbitrary<String> maybeText = Arbitraries.oneOf(text, Arbitraries.just(null));
    return Combinators.combine(
            Combinators.combine(text, text, Arbitraries.longs(), Arbitraries.of(Alert.Kind.class))
                .as((a, b, c, d) -> java.util.Arrays.<Object>asList(a, b, c, d)),
            Combinators.combine(maybeText, maybeText, maybeText, text.list().ofMaxSize(3))
                .as((a, b, c, d) -> java.util.Arrays.<Object>asList(a, b, c, d)),
            Combinators.combine(text.optional(), object, Arbitraries.longs(), Arbitraries.longs())
                .as((a, b, c, d) -> java.util.Arrays.<Object>asList(a, b, c, d)),
            Combinators.combine(events, dropped, Arbitraries.of(true, false), Arbitraries.longs())
                .as((a, b, c, d) -> java.util.Arrays.<Object>asList(a, b, c, d)))
        .as(AlertSerializerTest::fromParts);
  }

  @SuppressWarnings("unchecked")
  private static Alert fromParts(
      List<Object> ids, List<Object> texts, List<Object> keyAndSpan, List<Object> body) {
    return new Alert(
        (String) ids.get(0),
        (String) ids.get(1),
        (Long) ids.get(2),
        (Alert.Kind) ids.get(3),
        (String) texts.get(0),
        (String) texts.get(1),
        (String) texts.get(2),
        (List<String>) texts.get(3),
        (Optional<String>) keyAndSpan.get(0),
        (Map<String, Object>) keyAndSpan.get(1),
        (Long) keyAndSpan.get(2),
        (Long) keyAndSpan.get(3),
        (Long) body.get(3),
        (Map<String, List<Map<String, Object>>>) body.get(0),
        (Map<String, Integer>) body.get(1),
        (Boolean) body.get(2));
  }
}
