package io.vigil.runtime.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of control records, shared by whoever publishes commands and the job that
 * applies them.
 *
 * <p>A signed record carries the Kafka header {@value #HEADER} with the value {@code
 * hmac-sha256=<64 lowercase hex digits>}, the MAC of {@code keyBytes || 0x00 || valueBytes} (the
 * record's key and value exactly as sent; a tombstone has an empty value). Binding the key stops a
 * signed command from being replayed under another rule id. The secret is a shared string (its
 * UTF-8 bytes) or raw bytes of at least {@value #MIN_KEY_BYTES} bytes.
 */
public final class CommandSignature implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** The Kafka record header that carries the signature. */
  public static final String HEADER = "vigil-signature";

  /** The environment variable read for the secret when none is configured explicitly. */
  public static final String ENV_VAR = "VIGIL_SIGNING_KEY";

  /** Shorter secrets are refused: an HMAC key is only as strong as its bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private static final String SCHEME = "hmac-sha256=";
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] secret;

  private CommandSignature(byte[] secret) {
    if (secret.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a signing key needs at least " + MIN_KEY_BYTES + " bytes, got " + secret.length);
    }
    this.secret = secret.clone();
  }

  /** A signer/verifier for the raw secret {@code key}. */
  public static CommandSignature ofBytes(byte[] key) {
    return new CommandSignature(key);
  }

  /** A signer/verifier for the secret string {@code key} (its UTF-8 bytes). */
  public static CommandSignature ofSecret(String key) {
    return new CommandSignature(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The signer named by a secret string, or, when it is blank, by the environment variable {@code
   * envVar}; empty when neither is set.
   */
  public static Optional<CommandSignature> fromSecretOrEnv(String secret, String envVar) {
    if (secret != null && !secret.isBlank()) {
      return Optional.of(ofSecret(secret));
    }
    String fromEnv = System.getenv(envVar);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(ofSecret(fromEnv));
  }

  /** The header value for a record with these key and value bytes (null value: a tombstone). */
  public String sign(byte[] key, byte[] value) {
    return SCHEME + HexFormat.of().formatHex(mac(key, value));
  }

  /** {@link #sign} of a record whose key and value are UTF-8 text. */
  public String sign(String key, String value) {
    return sign(utf8(key), utf8(value));
  }

  /**
   * Why a record is not validly signed, or empty when it is.
   *
   * @param header the value of the {@value #HEADER} header, or null when the record has none
   */
  public Optional<String> problem(byte[] key, byte[] value, String header) {
    if (header == null) {
      return Optional.of("unsigned control record (no " + HEADER + " header)");
    }
    if (!header.startsWith(SCHEME)) {
      return Optional.of("unsupported signature scheme (expected " + SCHEME + "<hex>)");
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(SCHEME.length()));
    } catch (IllegalArgumentException e) {
      return Optional.of("malformed signature (not hex)");
    }
    // Constant time: the comparison must not tell an attacker how many bytes were right.
    return MessageDigest.isEqual(given, mac(key, value))
        ? Optional.empty()
        : Optional.of("bad signature (not signed with this job's key, or the record was altered)");
  }

  /** {@link #problem} of a record whose key and value are UTF-8 text. */
  public Optional<String> problem(String key, String value, String header) {
    return problem(utf8(key), utf8(value), header);
  }

  private byte[] mac(byte[] key, byte[] value) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      mac.update(key == null ? new byte[0] : key);
      mac.update((byte) 0);
      mac.update(value == null ? new byte[0] : value);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CommandSignature s && Arrays.equals(secret, s.secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return "CommandSignature[hmac-sha256]";
  }
}
