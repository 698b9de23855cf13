package io.vigil.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EventLinesTest {

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

  @org.junit.jupiter.api.Test
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
        Combinators.combine(Arbitraries.of("a", "b", "ts", "a"), scalar)
            .as((k, v) -> "\"" + k + "\" : " + v);
    Arbitrary<String> event =
        member.list().ofMaxSize(5).map(m -> "{ " + String.join(" , ", m) + " }");
    Arbitrary<String> line =
        Combinators.combine(
                Arbitraries.of("\"payments\"", "\"logins\"", "3", "null"),
                event,
                Arbitraries.of("", ",\"x\":[1,2]", ",\"event\":5", ",\"stream\":\"other\""))
            .as((s, e, extra) -> "{\"stream\":" + s + ", \"event\": " + e + extra + "}");
    return Arbitraries.oneOf(
        line,
        line,
        line,
        line.map(l -> l.substring(0, l.length() - 1)),
        line.map(l -> l + " trailing"),
        Arbitraries.of("", "[]", "{}", "{\"stream\":\"p\"}", "{\"event\":{}}", "nope"));
  }
}
