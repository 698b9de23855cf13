package io.vigil.compiler.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

  static final StreamSchema SCHEMA =
      new StreamSchema(
          "payments",
          List.of(
              new StreamSchema.Field("id", Type.STRING, 0),
              new StreamSchema.Field("n", Type.INT, 1),
              new StreamSchema.Field("big", Type.LONG, 2),
              new StreamSchema.Field("amount", Type.DECIMAL, 3),
              new StreamSchema.Field("score", Type.DOUBLE, 4),
              new StreamSchema.Field("ok", Type.BOOLEAN, 5),
              new StreamSchema.Field("geo.country", Type.STRING, 6),
              new StreamSchema.Field("geo.city", Type.STRING, 7),
              new StreamSchema.Field("ts", Type.TIMESTAMP, 8)),
          8,
          Duration.ofSeconds(5));

  static final EventDecoder DECODER = new EventDecoder(SCHEMA);

  static DecodeResult decode(String singleQuoted) {
    return DECODER.decode(singleQuoted.replace('\'', '"'));
  }

  @Test
  void decodesEveryTypeAndNestedObjects() {
    Event e =
        decode(
                "{'id':'x','n':3,'big':9007199254740993,'amount':12.50,'score':1.5,'ok':true,"
                    + "'geo':{'country':'FR'},'ts':'2026-01-05T11:15:00+01:00','extra':[1]}")
            .decoded()
            .orElseThrow();
    assertThat(e.stream()).isEqualTo("payments");
    assertThat(e.value(0)).isEqualTo("x");
    assertThat(e.value(1)).isEqualTo(3L);
    assertThat(e.value(2)).isEqualTo(9007199254740993L);
    assertThat(e.value(3)).isEqualTo(new BigDecimal("12.50"));
    assertThat(e.value(4)).isEqualTo(1.5);
    assertThat(e.value(5)).isEqualTo(true);
    assertThat(e.value(6)).isEqualTo("FR");
    assertThat(e.value(7)).isNull();
    assertThat(e.timestamp())
        .isEqualTo(java.time.Instant.parse("2026-01-05T10:15:00Z").toEpochMilli());
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {'amount':'abc','ts':1}              | field amount: expected decimal, got "abc"
          {'n':1.5,'ts':1}                     | field n: expected int (32-bit integer), got 1.5
          {'n':3000000000,'ts':1}              | field n: expected int (32-bit integer), got 3000000000
          {'score':'1','ts':1}                 | field score: expected double, got "1"
          {'ok':'yes','ts':1}                  | field ok: expected boolean, got "yes"
          {'id':5,'ts':1}                      | field id: expected string, got 5
          {'geo':'FR','ts':1}                  | field geo.country: expected an object at geo, got "FR"
          {'ts':'yesterday'}                   | field ts: expected timestamp (epoch milliseconds or ISO-8601 with zone), got "yesterday"
          {'ts':'2026-01-05T10:15:00'}         | field ts: expected timestamp (epoch milliseconds or ISO-8601 with zone), got "2026-01-05T10:15:00"
          {'id':'x'}                           | field ts: missing event time
          [1,2]                                | expected a JSON object, got [1,2]
          {'id':                               | not JSON: Unexpected end-of-input
          """)
  void rejectsWithAPreciseReason(String json, String reason) {
    assertThat(decode(json).rejection()).hasValueSatisfying(r -> assertThat(r).startsWith(reason));
  }

  @Test
  void decimalsMayComeAsStringsAndKeepTheirScale() {
    assertThat(decode("{'amount':'1500.00','ts':1}").decoded().orElseThrow().value(3))
        .isEqualTo(new BigDecimal("1500.00"));
  }

  @Test
  void encodesBackToTheShapeTheDecoderReads() {
    Event e =
        decode("{'id':'x','amount':12.50,'geo':{'country':'FR','city':'Paris'},'ts':1767607200000}")
            .decoded()
            .orElseThrow();
    String json = new EventEncoder(SCHEMA).encodeToString(e);
    assertThat(json)
        .isEqualTo(
            "{\"id\":\"x\",\"amount\":12.50,\"geo\":{\"country\":\"FR\",\"city\":\"Paris\"},\"ts\":\"2026-01-05T10:00:00Z\"}");
    assertThat(DECODER.decode(json).decoded()).contains(e);
  }

  @Property(tries = 200)
  void encodeThenDecodeIsIdentity(
      @ForAll @LongRange(min = -2_000_000_000L, max = 2_000_000_000L) long n,
      @ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long ts,
      @ForAll boolean ok,
      @ForAll double score,
      @ForAll @LongRange(min = -1_000_000_000, max = 1_000_000_000) long cents) {
    if (Double.isNaN(score) || Double.isInfinite(score)) {
      return;
    }
    Object[] values = {"id", n, n * 3, BigDecimal.valueOf(cents, 2), score, ok, "FR", null, ts};
    Event e = new Event("payments", ts, values);
    assertThat(DECODER.decode(new EventEncoder(SCHEMA).encodeToString(e)).decoded()).contains(e);
  }
}
