package io.vigil.runtime.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of control records: HMAC-SHA256 with a secret shared by whoever publishes commands and
 * the job that applies them, or Ed25519, where only the publisher (deploy tool, console) holds the
 * private key and the job holds the public key, so that the job cannot sign commands itself.
 *
 * <p>A signed record carries the Kafka header {@value #HEADER} with the value {@code
 * hmac-sha256=<64 lowercase hex digits>}, the MAC of {@code keyBytes || 0x00 || valueBytes} (the
 * record's key and value exactly as sent; a tombstone has an empty value). Binding the key stops a
 * signed command from being replayed under another rule id. The secret is a shared string (its
 * UTF-8 bytes) or raw bytes of at least {@value #MIN_KEY_BYTES} bytes.
 *
 * <p>An Ed25519 signed record carries {@code ed25519=<base64 signature>} (RFC 8032, over the same
 * bytes). Keys are given as PEM text ({@code openssl genpkey -algorithm ed25519} writes the private
 * key, {@code openssl pkey -pubout} its public key): {@link #of} recognizes them. A private key
 * verifies too: Ed25519 signatures are deterministic, so it compares the signature it would make.
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
  private static final String ED25519_SCHEME = "ed25519=";
  private static final String ALGORITHM = "HmacSHA256";
  private static final String ED25519 = "Ed25519";
  private static final String PEM_PRIVATE = "PRIVATE KEY";
  private static final String PEM_PUBLIC = "PUBLIC KEY";

  /** What the key is; its bytes are the secret, or the DER encoding of the Ed25519 key. */
  private enum Kind {
    HMAC,
    ED25519_PRIVATE,
    ED25519_PUBLIC
  }

  private final Kind kind;
  private final byte[] secret;

  private CommandSignature(Kind kind, byte[] secret) {
    if (kind == Kind.HMAC && secret.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a signing key needs at least " + MIN_KEY_BYTES + " bytes, got " + secret.length);
    }
    this.kind = kind;
    this.secret = secret.clone();
    if (kind != Kind.HMAC) {
      // Refuses a key that is not a valid Ed25519 key now, not at the first record.
      if (kind == Kind.ED25519_PRIVATE) {
        privateKey();
      } else {
        publicKey();
      }
    }
  }

  private CommandSignature(byte[] secret) {
    this(Kind.HMAC, secret);
  }

  /**
   * The signer/verifier a key text names: an Ed25519 private key ({@code -----BEGIN PRIVATE
   * KEY-----}, signs and verifies) or public key ({@code -----BEGIN PUBLIC KEY-----}, verifies
   * only) in PEM, otherwise an HMAC secret string.
   *
   * @throws IllegalArgumentException for a short secret or an invalid key
   */
  public static CommandSignature of(String keyText) {
    String text = keyText.strip();
    if (text.startsWith("-----BEGIN " + PEM_PRIVATE + "-----")) {
      return new CommandSignature(Kind.ED25519_PRIVATE, pem(text, PEM_PRIVATE));
    }
    if (text.startsWith("-----BEGIN " + PEM_PUBLIC + "-----")) {
      return new CommandSignature(Kind.ED25519_PUBLIC, pem(text, PEM_PUBLIC));
    }
    return ofSecret(text);
  }

  /** A fresh Ed25519 key pair as PEM texts: {@code [private, public]}. */
  public static List<String> generateEd25519() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ED25519).generateKeyPair();
      return List.of(
          toPem(PEM_PRIVATE, pair.getPrivate().getEncoded()),
          toPem(PEM_PUBLIC, pair.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 15+ runtime", e);
    }
  }

  private static byte[] pem(String text, String label) {
    String body =
        text.replace("-----BEGIN " + label + "-----", "")
            .replace("-----END " + label + "-----", "")
            .replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + label.toLowerCase() + " is not valid PEM", e);
    }
  }

  private static String toPem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private PrivateKey privateKey() {
    try {
      return KeyFactory.getInstance(ED25519).generatePrivate(new PKCS8EncodedKeySpec(secret));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8): " + e, e);
    }
  }

  private PublicKey publicKey() {
    try {
      return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(secret));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key (X.509): " + e, e);
    }
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
      return Optional.of(of(secret));
    }
    String fromEnv = System.getenv(envVar);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(of(fromEnv));
  }

  /** The header value for a record with these key and value bytes (null value: a tombstone). */
  public String sign(byte[] key, byte[] value) {
    return switch (kind) {
      case HMAC -> SCHEME + HexFormat.of().formatHex(mac(key, value));
      case ED25519_PRIVATE ->
          ED25519_SCHEME + Base64.getEncoder().encodeToString(ed25519(key, value));
      case ED25519_PUBLIC ->
          throw new IllegalStateException("an Ed25519 public key verifies, it cannot sign");
    };
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
    if (kind != Kind.HMAC) {
      return ed25519Problem(key, value, header);
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

  private Optional<String> ed25519Problem(byte[] key, byte[] value, String header) {
    if (!header.startsWith(ED25519_SCHEME)) {
      return Optional.of("unsupported signature scheme (expected " + ED25519_SCHEME + "<base64>)");
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(ED25519_SCHEME.length()));
    } catch (IllegalArgumentException e) {
      return Optional.of("malformed signature (not base64)");
    }
    boolean valid;
    if (kind == Kind.ED25519_PRIVATE) {
      valid = MessageDigest.isEqual(given, ed25519(key, value));
    } else {
      try {
        Signature verifier = Signature.getInstance(ED25519);
        verifier.initVerify(publicKey());
        signed(verifier, key, value);
        valid = verifier.verify(given);
      } catch (java.security.SignatureException e) {
        valid = false;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 is part of every Java 15+ runtime", e);
      }
    }
    return valid
        ? Optional.empty()
        : Optional.of("bad signature (not signed with this job's key, or the record was altered)");
  }

  private byte[] ed25519(byte[] key, byte[] value) {
    try {
      Signature signer = Signature.getInstance(ED25519);
      signer.initSign(privateKey());
      signed(signer, key, value);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 15+ runtime", e);
    }
  }

  /** The signed bytes: {@code key || 0x00 || value}, as for the HMAC. */
  private static void signed(Signature signature, byte[] key, byte[] value)
      throws java.security.SignatureException {
    signature.update(key == null ? new byte[0] : key);
    signature.update((byte) 0);
    signature.update(value == null ? new byte[0] : value);
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
    return other instanceof CommandSignature s && kind == s.kind && Arrays.equals(secret, s.secret);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(secret);
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return switch (kind) {
      case HMAC -> "CommandSignature[hmac-sha256]";
      case ED25519_PRIVATE -> "CommandSignature[ed25519, private key]";
      case ED25519_PUBLIC -> "CommandSignature[ed25519, public key]";
    };
  }
}
