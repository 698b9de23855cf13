package io.vigil.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.math.BigDecimal;
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
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

class EventLinesTest {

  /** The stream of the lines below (and of {@link LineDecoderTest}'s). */
  static final StreamSchema PAYMENTS =
      new StreamSchema(
          "payments",
          List.of(
              new StreamSchema.Field("a", Type.DECIMAL, 0),
              new StreamSchema.Field("b", Type.STRING, 1),
              new StreamSchema.Field("x.y", Type.DECIMAL, 2),
              new StreamSchema.Field("ts", Type.TIMESTAMP, 3)),
          3,
          Duration.ZERO);

  private final RawEventDecoding decoding = new RawEventDecoding();

  private Optional<Event> inOnePass(String line) {
    // The line amid other bytes, as a reader hands it over from its buffer.
    byte[] own = line.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = ("{\"x\":" + line + "}\n").getBytes(StandardCharsets.UTF_8);
    return EventLines.decode(
        bytes,
        5,
        own.length,
        EventLines.lineFactory(decoding.limits()),
        stream ->
            stream.equals("payments")
                ? Optional.of(decoding.decoder(stream, PAYMENTS))
                : Optional.empty());
  }

  private EventDecoding.Result inTwoPasses(String line) {
    RawEvent raw = EventLines.parse(line, "f");
    return decoding.decode(
        raw, raw.stream().equals("payments") ? Optional.of(PAYMENTS) : Optional.empty());
  }

  /** Floats as exact decimals, as the runtime's decoder reads them. */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  /** The line as a JSON tree reads it: the reference the token-stream reading keeps to. */
  private static RawEvent byTree(String line) {
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node != null
          && node.isObject()
          && node.path("stream").isTextual()
          && node.path("event").isObject()) {
        return new RawEvent(node.get("stream").asText(), node.get("event").toString(), "f", -1, -1);
      }
    } catch (Exception e) {
      // malformed
    }
    return new RawEvent(EventLines.NO_STREAM, line, "f", -1, -1);
  }

  @Test
  void aDecimalKeepsItsScale() {
    assertThat(
            EventLines.parse(
                    "{\"stream\":\"payments\",\"event\":{\"amount\":899.00,\"n\":[1.50]}}", "f")
                .payload())
        .isEqualTo("{\"amount\":899.00,\"n\":[1.50]}");
  }

  @Property(tries = 2000)
  void aLineGivesTheStreamAndCompactEventATreeWouldGive(@ForAll("lines") String line) {
    assertThat(EventLines.parse(line, "f")).isEqualTo(byTree(line));
  }

  @Test
  void aPlainLineIsDecodedInOnePassStraightFromItsBytes() {
    String line =
        "{\"stream\":\"payments\",\"event\":{\"a\":899.00,\"b\":\"é\",\"x\":{\"y\":1.5},"
            + "\"c\":[1],\"ts\":\"2026-12-05T01:00:00Z\"},\"note\":{\"k\":1}}";

    assertThat(inOnePass(line)).isPresent().contains(inTwoPasses(line).event().orElseThrow());
    assertThat(inOnePass(line).orElseThrow().value(0)).isEqualTo(new BigDecimal("899.00"));
  }

  @Test
  void linesTheOnePassReadingCannotDecideAreLeftToTheTwoPassOne() {
    String event = "{\"a\":1,\"ts\":5}";
    assertThat(inOnePass("{\"event\":" + event + ",\"stream\":\"payments\"}")).isEmpty();
    assertThat(inOnePass("{\"stream\":\"logins\",\"event\":" + event + "}")).isEmpty();
    assertThat(inOnePass("{\"stream\":\"payments\",\"event\":{\"a\":\"x\",\"ts\":5}}")).isEmpty();
    assertThat(inOnePass("{\"stream\":\"payments\",\"event\":{\"a\":1,\"a\":2,\"ts\":5}}"))
        .isEmpty();
    assertThat(inOnePass("{\"stream\":\"payments\",\"event\":" + event + ",\"stream\":\"logins\"}"))
        .isEmpty();
    assertThat(inOnePass("{\"stream\":\"payments\",\"event\":" + event)).isEmpty();
  }

  @Property(tries = 3000)
  void aLineDecodedInOnePassIsTheEventOfTheTwoPassReading(@ForAll("paymentLines") String line) {
    Optional<Event> onePass = inOnePass(line);
    // Not vacuous: a good share of the lines is decoded in one pass.
    Statistics.collect(onePass.isPresent() ? "one pass" : "two passes");
    Statistics.coverage(lines -> lines.check("one pass").percentage(p -> p >= 15));
    onePass.ifPresent(event -> assertThat(inTwoPasses(line).event()).contains(event));
  }

  /** Lines of the test's stream, mostly well typed, mixed with every shape {@link #lines} makes. */
  @Provide
  Arbitrary<String> paymentLines() {
    Arbitrary<String> decimal =
        Arbitraries.of("12.50", "0.1000", "-0.0", "7", "1E+2", "99999999999999999999999", "null");
    Arbitrary<String> text =
        Arbitraries.strings()
            .withChars("aZ0 \\\"é\u2028\t/")
            .ofMaxLength(8)
            .map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    Arbitrary<String> time =
        Arbitraries.of(
            "1700000000000",
            "\"2026-12-05T01:00:00.250Z\"",
            "\"2026-12-05T01:00:00+01:00\"",
            "1700000000001",
            "\"2026-12-05 01:00\"",
            "1.5");
    // The time is always there (an event needs it); the other members sometimes.
    Arbitrary<List<String>> members =
        Combinators.combine(
                time.map(v -> "\"ts\":" + v),
                decimal.map(v -> "\"a\":" + v),
                text.map(v -> "\"b\":" + v),
                decimal.map(v -> "\"x\":{\"y\":" + v + ",\"z\":[1,{}]}"),
                Arbitraries.of("\"c\":[1,2]", "\"c\":{\"d\":null}", "\"a\":1", "\"ts\":1"))
            .as(
                (ts, a, b, x, other) ->
                    Arbitraries.subsetOf(a, b, x, other)
                        .map(
                            chosen -> {
                              List<String> all = new java.util.ArrayList<>(chosen);
                              all.add(ts);
                              return all;
                            }))
            .flatMap(chosen -> chosen)
            .flatMap(Arbitraries::shuffle);
    Arbitrary<String> line =
        Combinators.combine(
                members,
                Arbitraries.of(
                    "",
                    "",
                    "",
                    ",\"note\":{\"k\":[1]}",
                    ",\"stream\":\"logins\"",
                    ",\"event\":{\"ts\":5}"))
            .as(
                (m, extra) ->
                    "{\"stream\":\"payments\",\"event\":{"
                        + String.join(",", m)
                        + "}"
                        + extra
                        + "}");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, line),
        net.jqwik.api.Tuple.of(1, line.map(l -> l.substring(0, l.length() - 1))),
        net.jqwik.api.Tuple.of(1, line.map(l -> l + " trailing")),
        net.jqwik.api.Tuple.of(2, lines()));
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("aZ0 \\\"é\u2028\t/")
                .ofMaxLength(8)
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.of(
                "12.50",
                "1700000000000",
                "\"2026-12-05T01:00:00.250Z\"",
                "\"2026-12-05T01:00:00+01:00\"",
                "1E+2",
                "1e999",
                "-0.0",
                "99999999999999999999999",
                "0.1000",
                "true",
                "null",
                "[1, {\"a\": 2}]",
                "{ \"x\" : { \"y\" : 1.10 } }"));
    Arbitrary<String> member =
        Combinators.combine(Arbitraries.of("a", "b", "ts", "a", "x", "ts", "c"), scalar)
            .as((k, v) -> "\"" + k + "\" : " + v);
    Arbitrary<String> event =
        member.list().ofMaxSize(5).map(m -> "{ " + String.join(" , ", m) + " }");
    Arbitrary<String> line =
        Combinators.combine(
                Arbitraries.of("\"payments\"", "\"logins\"", "3", "null"),
                event,
                Arbitraries.of("", "", ",\"x\":[1,2]", ",\"event\":5", ",\"stream\":\"other\""))
            .as((s, e, extra) -> "{\"stream\":" + s + ", \"event\": " + e + extra + "}");
    Arbitrary<String> eventFirst =
        Combinators.combine(Arbitraries.of("\"payments\"", "\"logins\""), event)
            .as((s, e) -> "{\"event\": " + e + ", \"stream\":" + s + "}");
    return Arbitraries.oneOf(
        line,
        line,
        line,
        eventFirst,
        line.map(l -> l.substring(0, l.length() - 1)),
        line.map(l -> l + " trailing"),
        Arbitraries.of("", "[]", "{}", "{\"stream\":\"p\"}", "{\"event\":{}}", "nope"));
  }
}
