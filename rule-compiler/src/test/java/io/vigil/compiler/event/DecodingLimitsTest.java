package io.vigil.compiler.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values beyond the decoding limits reject the whole message with the reason (the job sends it to
 * the dead-letter topic), so that no condition ever sees them.
 */
class DecodingLimitsTest {

  static final EventDecoder DECODER = EventCodecTest.DECODER;

  static DecodeResult decode(String json) {
    return DECODER.decode(json);
  }

  static String event(String fields) {
    return "{\"ts\": 0" + (fields.isEmpty() ? "" : ", " + fields) + "}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999999999", "\"1e999999999\"", "1e-999999999", "\"-1E+400000\""})
  void aDecimalWithTooManyDigitsIsRejectedNotExpanded(String amount) {
    DecodeResult result = decode(event("\"amount\": " + amount));

    assertThat(result.rejection())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .startsWith("field amount: ")
                    .contains(" digits written out, more than the limit of 100"));
  }

  @Test
  void aDecimalWithinTheLimitIsKeptExactly() {
    String ninetyNineDigits = "9".repeat(98) + ".5";

    DecodeResult result = decode(event("\"amount\": " + ninetyNineDigits + ", \"score\": 1e300"));

    assertThat(result.decoded().orElseThrow().value(3)).isEqualTo(new BigDecimal(ninetyNineDigits));
  }

  @Test
  void aNumberBeyondTheRangeOfADoubleIsRejected() {
    assertThat(decode(event("\"score\": 1e999")).rejection())
        .hasValueSatisfying(r -> assertThat(r).startsWith("field score: expected double"));
  }

  @Test
  void aStringLongerThanTheLimitIsRejectedWithItsLength() {
    String id = "x".repeat(16_385);

    assertThat(decode(event("\"id\": \"" + id + "\"")).rejection())
        .hasValue("field id: a string of 16385 characters, more than the limit of 16384");
    assertThat(decode(event("\"id\": \"" + id.substring(1) + "\"")).ok()).isTrue();
  }

  @Test
  void aStringInAFieldTheStreamDoesNotDeclareDoesNotCount() {
    assertThat(decode(event("\"comment\": \"" + "x".repeat(100_000) + "\"")).ok()).isTrue();
  }

  @Test
  void deeplyNestedJsonIsRejectedBeforeATreeIsBuilt() {
    String nested = "[".repeat(10_000) + "]".repeat(10_000);

    assertThat(decode(event("\"extra\": " + nested)).rejection())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .startsWith("beyond the decoding limits: ")
                    .contains("nesting depth")
                    .contains("32"));
  }

  @Test
  void limitsAreConfigurable() {
    EventDecoder generous =
        new EventDecoder(
            EventCodecTest.SCHEMA,
            DecodingLimits.defaults()
                .withStringLength(100_000)
                .withDecimalDigits(1_000)
                .withNestingDepth(100));
    EventDecoder strict =
        new EventDecoder(EventCodecTest.SCHEMA, DecodingLimits.defaults().withStringLength(3));

    assertThat(generous.decode(event("\"id\": \"" + "x".repeat(50_000) + "\"")).ok()).isTrue();
    assertThat(generous.decode(event("\"amount\": 1e500")).ok()).isTrue();
    assertThat(generous.decode(event("\"x\": " + "[".repeat(50) + "]".repeat(50))).ok()).isTrue();
    assertThat(strict.decode(event("\"id\": \"abcd\"")).ok()).isFalse();
  }
}
