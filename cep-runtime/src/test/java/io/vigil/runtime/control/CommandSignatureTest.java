package io.vigil.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandSignatureTest {

  private static final CommandSignature KEY = CommandSignature.ofSecret("an-example-signing-key");
  private static final String DELETE = "{\"type\":\"DELETE_RULE\",\"ruleId\":\"card_testing\"}";

  @Test
  void theSignatureIsHmacSha256OfKeyZeroByteValueInLowercaseHex() {
    // Computed independently: Python's hmac.new(key, b"card_testing\x00" + value, sha256).
    assertThat(KEY.sign("card_testing", DELETE))
        .isEqualTo("hmac-sha256=1abe68b278a0f54af5e296e62d5cf52c33e9d1b2bb5570cebb0e96aec8d8686d");
    assertThat(KEY.sign("card_testing", null))
        .isEqualTo("hmac-sha256=c2423ef98997f5f14e957caf255372c1778a572567c051348492087b9fe0cd7a");
  }

  @Test
  void aRecordSignedWithTheKeyVerifies() {
    assertThat(KEY.problem("card_testing", DELETE, KEY.sign("card_testing", DELETE))).isEmpty();
    assertThat(KEY.problem("card_testing", null, KEY.sign("card_testing", null))).isEmpty();
  }

  @Test
  void unsignedMalformedForeignOrAlteredRecordsAreRefusedWithTheReason() {
    String signature = KEY.sign("card_testing", DELETE);
    assertThat(KEY.problem("card_testing", DELETE, null)).get().asString().contains("unsigned");
    assertThat(KEY.problem("card_testing", DELETE, "sha1=00"))
        .get()
        .asString()
        .contains("unsupported signature scheme");
    assertThat(KEY.problem("card_testing", DELETE, "hmac-sha256=xyz"))
        .get()
        .asString()
        .contains("malformed");
    CommandSignature other = CommandSignature.ofSecret("another-signing-key-entirely");
    assertThat(KEY.problem("card_testing", DELETE, other.sign("card_testing", DELETE)))
        .get()
        .asString()
        .contains("bad signature");
    assertThat(KEY.problem("card_testing", DELETE.replace("card", "cart"), signature)).isPresent();
    // The same body under another key (rule id) is not validly signed: no replay across rules.
    assertThat(KEY.problem("split_purchases", DELETE, signature)).isPresent();
    // A signed tombstone does not sign the command, nor the other way round.
    assertThat(KEY.problem("card_testing", null, signature)).isPresent();
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> CommandSignature.ofSecret("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 bytes");
  }

  @Test
  void theSecretIsNeverPrinted() {
    assertThat(KEY.toString()).doesNotContain("example");
  }
}
