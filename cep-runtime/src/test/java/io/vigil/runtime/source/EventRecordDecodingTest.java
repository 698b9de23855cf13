package io.vigil.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.DecodingLimits;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/** The job's decoding of a record's value bytes is that of the value's text. */
class EventRecordDecodingTest {

  private static final StreamSchema PAYMENTS =
      new StreamSchema(
          "payments",
          List.of(
              new StreamSchema.Field("amount", Type.DECIMAL, 0),
              new StreamSchema.Field("card", Type.STRING, 1),
              new StreamSchema.Field("geo.country", Type.STRING, 2),
              new StreamSchema.Field("ts", Type.TIMESTAMP, 3)),
          3,
          Duration.ZERO);

  private static final DecodingLimits LIMITS = DecodingLimits.defaults().withStringLength(12);

  private final EventRecordDecoding bytes = new EventRecordDecoding(LIMITS);
  private final RawEventDecoding text = new RawEventDecoding(LIMITS);

  private static EventRecord record(byte[] value) {
    return new EventRecord("payments", value, "vigil.events.payments", 2, 41);
  }

  @Property(tries = 3000)
  void aValueDecodesAsItsTextDoes(@ForAll("values") byte[] value) {
    EventRecord record = record(value);
    EventDecoding.Result fromBytes = bytes.decode(record, Optional.of(PAYMENTS));
    EventDecoding.Result fromText =
        text.decode(
            new RawEvent("payments", record.text(), record.topic(), 2, 41), Optional.of(PAYMENTS));
    // Not vacuous: both outcomes are common.
    Statistics.collect(fromBytes.event().isPresent() ? "decoded" : "refused");
    Statistics.coverage(
        c -> {
          c.check("decoded").percentage(p -> p >= 10);
          c.check("refused").percentage(p -> p >= 20);
        });
    assertThat(fromBytes).isEqualTo(fromText);
  }

  @Test
  void aDeadLetterCarriesTheValueAsTextAndWhereItCameFrom() {
    byte[] value = "{\"amount\":\"x\",\"card\":\"é\"}".getBytes(StandardCharsets.UTF_8);
    EventRecord record = record(value);

    assertThat(bytes.decode(record, Optional.of(PAYMENTS)).reason()).contains("amount");
    assertThat(bytes.raw(record))
        .isEqualTo(
            new RawEvent(
                "payments", "{\"amount\":\"x\",\"card\":\"é\"}", "vigil.events.payments", 2, 41));
    assertThat(bytes.partition(record)).isEqualTo(2);
    assertThat(record(value.clone())).isEqualTo(record).hasSameHashCodeAs(record);
    assertThat(record(new byte[] {'{', '}'})).isNotEqualTo(record);
  }

  @Test
  void aRecordWithoutAValueOrOfAnUnknownStreamIsRefusedWithTheReason() {
    assertThat(bytes.decode(record(new byte[0]), Optional.of(PAYMENTS)).reason())
        .isEqualTo(
            text.decode(new RawEvent("payments", "", "t", 0, 0), Optional.of(PAYMENTS)).reason())
        .isNotEmpty();
    assertThat(bytes.decode(record(new byte[] {'{', '}'}), Optional.empty()).reason())
        .isEqualTo("unknown stream 'payments'");
  }

  /**
   * Values of the stream: well-typed events, wrong types, strings beyond the limit, other JSON,
   * broken JSON and bytes that are not UTF-8.
   */
  @Provide
  Arbitrary<byte[]> values() {
    Arbitrary<String> amount =
        Arbitraries.of("12.50", "0.10", "7", "1E+2", "12.50", "0.10", "7", "\"9\"", "null", "[]");
    Arbitrary<String> card =
        Arbitraries.strings()
            .withChars("aZ0 \\é\u2028\t")
            .ofMaxLength(14)
            .map(s -> "\"" + s.replace("\\", "\\\\") + "\"");
    Arbitrary<String> ts =
        Arbitraries.of("1767225600000", "\"2026-12-05T01:00:00Z\"", "1767225600000", "\"soon\"");
    Arbitrary<String> event =
        Combinators.combine(amount, card, Arbitraries.of("FR", "DE"), ts)
            .as(
                (a, c, country, t) ->
                    "{\"amount\":"
                        + a
                        + ",\"card\":"
                        + c
                        + ",\"geo\":{\"country\":\""
                        + country
                        + "\"},\"ts\":"
                        + t
                        + "}");
    Arbitrary<byte[]> utf8 =
        Arbitraries.frequencyOf(
                Tuple.of(6, event),
                Tuple.of(1, event.map(e -> e.substring(0, e.length() / 2))),
                Tuple.of(1, Arbitraries.of("[]", "null", "\"x\"", "{}", "", " {\"ts\":1} ")))
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> broken =
        utf8.map(
            b -> {
              byte[] copy = java.util.Arrays.copyOf(b, b.length + 2);
              // A lone continuation byte and a truncated sequence: not UTF-8.
              copy[b.length] = (byte) 0x80;
              copy[b.length + 1] = (byte) 0xC3;
              return copy;
            });
    return Arbitraries.frequencyOf(Tuple.of(8, utf8), Tuple.of(1, broken));
  }
}
