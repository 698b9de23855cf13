package io.vigil.alert.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SecretCipherTest {
  private static final String OLD = newKey();
  private static final String NEW = newKey();

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static SecretCipher cipher(String active, Map<String, String> keys) {
    return new SecretCipher(new SecretKeysProperties(active, keys));
  }

  @Test
  void aSecretIsStoredEncryptedWithTheKeyIdAndDecryptsInItsOwnContextOnly() {
    SecretCipher cipher = cipher("k1", Map.of("k1", OLD));
    String stored = cipher.encrypt("whsec-0123456789abcdef", "sub-1");
    assertThat(stored).startsWith("enc:v1:k1:").doesNotContain("whsec");
    assertThat(cipher.encrypt("whsec-0123456789abcdef", "sub-1")).isNotEqualTo(stored);
    assertThat(cipher.decrypt(stored, "sub-1")).isEqualTo("whsec-0123456789abcdef");
    assertThatThrownBy(() -> cipher.decrypt(stored, "sub-2"))
        .hasMessageContaining("wrong key or tampered");
    String tampered = stored.substring(0, stored.length() - 4) + "AAA=";
    assertThatThrownBy(() -> cipher.decrypt(tampered, "sub-1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterARotationOldSecretsStillDecryptAndAreNotCurrent() {
    String stored = cipher("k1", Map.of("k1", OLD)).encrypt("whsec-rotate-0123456789", "sub-1");
    SecretCipher rotated = cipher("k2", Map.of("k1", OLD, "k2", NEW));
    assertThat(rotated.isCurrent(stored)).isFalse();
    String plain = rotated.decrypt(stored, "sub-1");
    assertThat(plain).isEqualTo("whsec-rotate-0123456789");
    String again = rotated.encrypt(plain, "sub-1");
    assertThat(again).startsWith("enc:v1:k2:");
    assertThat(rotated.isCurrent(again)).isTrue();
    // Once the old key is removed, only what was re-encrypted can be read.
    SecretCipher newOnly = cipher("k2", Map.of("k2", NEW));
    assertThat(newOnly.decrypt(again, "sub-1")).isEqualTo(plain);
    assertThatThrownBy(() -> newOnly.decrypt(stored, "sub-1"))
        .hasMessageContaining("key 'k1', which is not in vigil.secrets.keys");
  }

  @Test
  void aValueFromBeforeEncryptionIsReadAsPlaintext() {
    assertThat(cipher("k1", Map.of("k1", OLD)).decrypt("legacy-secret-0123456789", "sub-1"))
        .isEqualTo("legacy-secret-0123456789");
  }

  @Test
  void keysComeFromTheDocumentedEnvironmentVariables() {
    Map<String, Object> env =
        Map.of(
            "VIGIL_SECRETS_ACTIVEKEY", "k2",
            "VIGIL_SECRETS_KEYS_K1", OLD,
            "VIGIL_SECRETS_KEYS_K2", NEW);
    SecretKeysProperties bound =
        new Binder(
                ConfigurationPropertySources.from(
                    new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
            .bind("vigil.secrets", SecretKeysProperties.class)
            .get();
    assertThat(bound.activeKey()).isEqualTo("k2");
    assertThat(bound.keys()).containsOnlyKeys("k1", "k2");
  }

  @Test
  void keysAreCheckedWhenTheServiceStarts() {
    assertThatThrownBy(() -> new SecretKeysProperties(null, Map.of()))
        .hasMessageContaining("vigil.secrets.active-key is not set");
    assertThatThrownBy(() -> new SecretKeysProperties("k2", Map.of("k1", OLD)))
        .hasMessageContaining("names no key");
    assertThatThrownBy(() -> new SecretKeysProperties("k1", Map.of("k1", "c2hvcnQ=")))
        .hasMessageContaining("decodes to 5 bytes");
    assertThatThrownBy(() -> new SecretKeysProperties("k1", Map.of("k1", "not base64!")))
        .hasMessageContaining("is not base64");
  }
}
