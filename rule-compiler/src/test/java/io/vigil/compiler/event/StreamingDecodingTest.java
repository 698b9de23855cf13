package io.vigil.compiler.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class StreamingDecodingTest {

  static final EventDecoder DECODER =
      new EventDecoder(
          EventCodecTest.SCHEMA,
          DecodingLimits.defaults().withStringLength(12).withNestingDepth(4));

  @Property(tries = 3000)
  void theStreamingReadingGivesTheTreeReadingsRowOrReason(@ForAll("messages") String json) {
    DecodeResult tree = DECODER.decodeByTree(json);
    assertThat(DECODER.decode(json)).isEqualTo(tree);
    assertThat(DECODER.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(tree);
  }

  @Property(tries = 2000)
  void theFastTimestampReadingAgreesWithJavaTime(
      @ForAll @LongRange(min = -30_000_000_000_000L, max = 250_000_000_000_000L) long millis,
      @ForAll @IntRange(min = -17 * 60, max = 17 * 60) int offsetMinutes,
      @ForAll @IntRange(min = 0, max = 9) int fractionDigits) {
    OffsetDateTime time =
        Instant.ofEpochMilli(millis)
            .plusNanos(millis % 7 * 1_234)
            .atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
    String text =
        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").format(time)
            + fraction(time.getNano(), fractionDigits)
            + (offsetMinutes == 0 ? "Z" : time.getOffset().getId());
    long fast = IsoTimestamps.epochMillis(text);
    if (fast != IsoTimestamps.NOT_FAST) {
      assertThat(fast).isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    }
  }

  private static String fraction(int nanos, int digits) {
    if (digits == 0) {
      return "";
    }
    return "." + String.format("%09d", nanos).substring(0, digits);
  }

  /** Objects made of schema keys (some nested, repeated or missing) and other keys. */
  @Provide
  Arbitrary<String> messages() {
    Arbitrary<String> member =
        Combinators.combine(keys(), values()).as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> object =
        member.list().ofMaxSize(12).map(members -> "{" + String.join(",", members) + "}");
    Arbitrary<String> withTime =
        Combinators.combine(object, timestamps())
            .as(
                (o, ts) ->
                    o.length() > 2
                        ? o.substring(0, o.length() - 1) + ",\"ts\":" + ts + "}"
                        : "{\"ts\":" + ts + "}");
    return Arbitraries.oneOf(
        withTime,
        withTime,
        withTime,
        object,
        withTime.map(s -> s.substring(0, s.length() / 2)),
        withTime.map(s -> " \n" + s.replace(",", " , ") + " x"),
        Arbitraries.of("", "[]", "null", "12", "\"{}\"", "{\"ts\":1}{", "{\"ts\":1,}"));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.of(
        "id", "n", "big", "amount", "score", "ok", "geo", "ts", "extra", "Geo", "geo.country");
  }

  private static Arbitrary<String> values() {
    Arbitrary<String> geo =
        Combinators.combine(
                Arbitraries.of("country", "city", "zip", "country"), scalars(), scalars())
            .as((k, v, w) -> "{\"" + k + "\":" + v + ",\"city\":" + w + "}");
    return Arbitraries.oneOf(
        scalars(),
        scalars(),
        geo,
        geo,
        Arbitraries.of("{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", "[[1,[2]],{}]", "{}", "[]"));
  }

  private static Arbitrary<String> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("aZ09 .-+:eE\\\"é\u2028")
            .ofMaxLength(16)
            .map(StreamingDecodingTest::quoted),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf),
        Arbitraries.bigDecimals().ofScale(4).map(d -> d.toString()),
        Arbitraries.of(
            "true",
            "false",
            "null",
            "0",
            "-0",
            "-0.0",
            "0.0",
            "12.50",
            "1E+2",
            "1e999",
            "-1e999",
            "2147483648",
            "-2147483649",
            "9223372036854775808",
            "99999999999999999999999",
            "\" 12.5 \"",
            "\"12.50\"",
            "\"abc\"",
            "1.0",
            "3",
            "0.1e-400",
            "1" + "0".repeat(120),
            "1e150",
            "\"1e150\""),
        timestamps());
  }

  private static Arbitrary<String> timestamps() {
    Arbitrary<String> iso =
        Combinators.combine(
                Arbitraries.longs().between(-40_000_000_000_000L, 260_000_000_000_000L),
                Arbitraries.integers().between(-18 * 4, 18 * 4))
            .as(
                (millis, quarters) -> {
                  OffsetDateTime t =
                      Instant.ofEpochMilli(millis)
                          .atOffset(ZoneOffset.ofTotalSeconds(quarters * 15 * 60));
                  List<String> forms = new ArrayList<>();
                  forms.add(t.toString());
                  forms.add(t.toInstant().toString());
                  return quoted(forms.get((int) Math.floorMod(millis, 2L)));
                });
    return Arbitraries.oneOf(
        iso,
        iso,
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.of(
            "\"2026-01-05T10:15Z\"",
            "\"2026-01-05T10:15:00z\"",
            "\"2026-01-05t10:15:00Z\"",
            "\"2026-12-31T23:59:60Z\"",
            "\"2026-02-29T10:15:00Z\"",
            "\"2024-02-29T10:15:00.1234567891Z\"",
            "\"2026-01-05T10:15:00.Z\"",
            "\"2026-01-05T24:00:00Z\"",
            "\"2026-01-05T10:15:00+18:00\"",
            "\"2026-01-05T10:15:00-00:00\"",
            "\"2026-01-05T10:15:00+0100\"",
            "\"0999-01-05T10:15:00Z\"",
            "\"+12026-01-05T10:15:00Z\"",
            "\"2026-01-05 10:15:00Z\"",
            "1.5e3"));
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
