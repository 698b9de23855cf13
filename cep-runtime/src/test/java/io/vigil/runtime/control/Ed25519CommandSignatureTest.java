package io.vigil.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Ed25519 signatures of control records: the publisher signs with the private key, the job verifies
 * with the public key only, and nothing else verifies.
 */
class Ed25519CommandSignatureTest {

  static final List<String> PAIR = CommandSignature.generateEd25519();
  static final CommandSignature SIGNER = CommandSignature.of(PAIR.get(0));
  static final CommandSignature JOB = CommandSignature.of(PAIR.get(1));
  static final String DELETE = "{\"type\":\"DELETE_RULE\",\"ruleId\":\"card_testing\"}";

  @Property(tries = 50)
  void whatThePrivateKeySignsThePublicKeyVerifies(@ForAll String key, @ForAll String value) {
    String signature = SIGNER.sign(key, value);

    assertThat(signature).startsWith("ed25519=");
    assertThat(JOB.problem(key, value, signature)).isEmpty();
    assertThat(SIGNER.problem(key, value, signature)).isEmpty();
    assertThat(JOB.problem(key + "x", value, signature)).isPresent();
    assertThat(JOB.problem(key, value + "x", signature)).isPresent();
  }

  @Test
  void tombstonesAreSignedToo() {
    assertThat(JOB.problem("card_testing", null, SIGNER.sign("card_testing", null))).isEmpty();
    assertThat(JOB.problem("card_testing", DELETE, SIGNER.sign("card_testing", null))).isPresent();
  }

  @Test
  void unsignedForeignHmacAndMalformedRecordsAreRefusedWithTheReason() {
    CommandSignature stranger = CommandSignature.of(CommandSignature.generateEd25519().get(0));
    CommandSignature hmac = CommandSignature.ofSecret("an-example-signing-key");

    assertThat(JOB.problem("card_testing", DELETE, null)).get().asString().contains("unsigned");
    assertThat(JOB.problem("card_testing", DELETE, stranger.sign("card_testing", DELETE)))
        .get()
        .asString()
        .contains("bad signature");
    assertThat(SIGNER.problem("card_testing", DELETE, stranger.sign("card_testing", DELETE)))
        .get()
        .asString()
        .contains("bad signature");
    assertThat(JOB.problem("card_testing", DELETE, hmac.sign("card_testing", DELETE)))
        .get()
        .asString()
        .contains("unsupported signature scheme");
    assertThat(JOB.problem("card_testing", DELETE, "ed25519=***"))
        .get()
        .asString()
        .contains("malformed");
    assertThat(JOB.problem("card_testing", DELETE, "ed25519=AAAA"))
        .get()
        .asString()
        .contains("bad signature");
  }

  @Test
  void thePublicKeyCannotSign() {
    assertThatThrownBy(() -> JOB.sign("card_testing", DELETE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot sign");
  }

  @Test
  void keysAreReadFromPemOnOneLineOrManyAndBadKeysAreRefused() {
    String oneLine = PAIR.get(1).replace("\n", " ");
    assertThat(CommandSignature.of(oneLine)).isEqualTo(JOB);
    assertThatThrownBy(
            () -> CommandSignature.of("-----BEGIN PUBLIC KEY-----AAAA-----END PUBLIC KEY-----"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an Ed25519 public key");
    assertThatThrownBy(
            () -> CommandSignature.of("-----BEGIN PRIVATE KEY-----@@-----END PRIVATE KEY-----"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid PEM");
  }

  @Test
  void aKeyTextThatIsNoPemIsAnHmacSecret() {
    assertThat(CommandSignature.of("  an-example-signing-key "))
        .isEqualTo(CommandSignature.ofSecret("an-example-signing-key"));
  }

  @Test
  void theKeysAreNeverPrinted() {
    assertThat(SIGNER.toString()).isEqualTo("CommandSignature[ed25519, private key]");
    assertThat(JOB.toString()).isEqualTo("CommandSignature[ed25519, public key]");
  }
}
