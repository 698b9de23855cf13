package io.vigil.alert.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets for storage with AES-GCM: {@code enc:v1:<key id>:<base64(nonce ‖ ciphertext ‖
 * tag)>}, a fresh 96-bit nonce each time. The key id travels with the ciphertext, so after a
 * rotation the old secrets still decrypt with the old key until they are re-encrypted. The context
 * (e.g. the subscription id) is authenticated too: a ciphertext copied to another record does not
 * decrypt.
 */
@Component
public class SecretCipher {
  static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<String, SecretKey> keys = new HashMap<>();
  private final String activeKey;
  private final SecureRandom random = new SecureRandom();

  public SecretCipher(SecretKeysProperties properties) {
    properties
        .keys()
        .forEach(
            (id, base64) ->
                keys.put(id, new SecretKeySpec(Base64.getDecoder().decode(base64.trim()), "AES")));
    this.activeKey = properties.activeKey();
  }

  /** Whether {@code stored} is already encrypted with the active key. */
  public boolean isCurrent(String stored) {
    return stored.startsWith(PREFIX + activeKey + ":");
  }

  public String encrypt(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKey), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + activeKey + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The plaintext of a stored value. A value without the {@code enc:} prefix was stored before
   * secrets were encrypted and is returned as it is (it is re-encrypted at the next start-up).
   *
   * @throws IllegalStateException if the key is unknown or the value was tampered with
   */
  public String decrypt(String stored, String context) {
    if (!stored.startsWith(PREFIX)) {
      return stored;
    }
    int colon = stored.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new IllegalStateException("malformed encrypted secret");
    }
    String keyId = stored.substring(PREFIX.length(), colon);
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalStateException(
          "secret encrypted with key '"
              + keyId
              + "', which is not in vigil.secrets.keys: add it back to decrypt");
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(colon + 1));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "secret does not decrypt with key '" + keyId + "' (wrong key or tampered value)", e);
    }
  }
}
