package io.vigil.compiler.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An event's Java form ({@link EventEncoder#toMap}) is its JSON form read back with exact decimals:
 * the same maps, in the same order, holding values of the same types.
 */
class EventEncodingTest {

  private static final ObjectMapper EXACT =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final EventEncoder ENCODER = new EventEncoder(EventCodecTest.SCHEMA);

  @Property(tries = 500)
  void theJavaFormIsTheJsonFormReadBack(@ForAll("events") Event event) {
    Map<String, Object> readBack =
        EXACT.convertValue(
            ENCODER.encode(event), new TypeReference<LinkedHashMap<String, Object>>() {});
    Map<String, Object> direct = ENCODER.toMap(event);
    assertThat(direct).isEqualTo(readBack);
    assertThat(direct.toString()).isEqualTo(readBack.toString());
    assertThat(classes(direct)).isEqualTo(classes(readBack));
  }

  /**
   * An event is encoded once: asked again, by the same encoder or another of the same schema, it
   * gives the same map (alerts share it); an encoder of other fields encodes it anew.
   */
  @Property(tries = 100)
  void anEventIsEncodedOnceForItsSchema(@ForAll("events") Event event) {
    Map<String, Object> first = ENCODER.toMap(event);
    assertThat(first).isInstanceOf(EncodedEvent.class);
    assertThat(ENCODER.toMap(event)).isSameAs(first);
    assertThat(new EventEncoder(EventCodecTest.SCHEMA).toMap(event)).isSameAs(first);
    io.vigil.dsl.schema.StreamSchema fewer =
        new io.vigil.dsl.schema.StreamSchema(
            "payments", EventCodecTest.SCHEMA.fields().subList(0, 2), 0, java.time.Duration.ZERO);
    Map<String, Object> other = new EventEncoder(fewer).toMap(event);
    assertThat(other).isNotSameAs(first);
    assertThat(other.keySet()).isSubsetOf(first.keySet());
  }

  private static String classes(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      map.forEach((k, v) -> out.append(k).append('=').append(classes(v)).append(','));
      return out.append('}').toString();
    }
    return value.getClass().getSimpleName();
  }

  @Provide
  Arbitrary<Event> events() {
    return new StreamingDecodingTest()
        .messages()
        .map(StreamingDecodingTest.DECODER::decode)
        .filter(r -> r.decoded().isPresent())
        .map(r -> r.decoded().orElseThrow());
  }
}
