package io.vigil.alert.secret;

import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The AES keys that encrypt webhook signing secrets at rest. There is no default: the service does
 * not start without a key.
 *
 * @param activeKey the id of the key new secrets are encrypted with (environment variable {@code
 *     VIGIL_SECRETS_ACTIVEKEY})
 * @param keys key id → the key, base64 of 16, 24 or 32 random bytes (environment variables {@code
 *     VIGIL_SECRETS_KEYS_<ID>}; ids are lower case letters, digits and dashes). Keep an old key
 *     listed until every secret was re-encrypted with the active one (at start-up).
 */
@ConfigurationProperties("vigil.secrets")
public record SecretKeysProperties(String activeKey, @DefaultValue Map<String, String> keys) {
  private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,32}");

  private static final String HOW =
      " Generate a key with `openssl rand -base64 32` and set vigil.secrets.keys.<id> (environment"
          + " variable VIGIL_SECRETS_KEYS_<ID>) and vigil.secrets.active-key=<id>"
          + " (VIGIL_SECRETS_ACTIVEKEY); see docs/alerts.md, \"Secrets at rest\".";

  public SecretKeysProperties {
    keys = Map.copyOf(keys);
    if (activeKey == null || activeKey.isBlank()) {
      throw new IllegalArgumentException("vigil.secrets.active-key is not set." + HOW);
    }
    if (!keys.containsKey(activeKey)) {
      throw new IllegalArgumentException(
          "vigil.secrets.active-key '"
              + activeKey
              + "' names no key in vigil.secrets.keys (known: "
              + keys.keySet()
              + ")."
              + HOW);
    }
    for (Map.Entry<String, String> key : keys.entrySet()) {
      if (!ID.matcher(key.getKey()).matches()) {
        throw new IllegalArgumentException(
            "vigil.secrets.keys: '" + key.getKey() + "' is not a key id ([a-z0-9-]{1,32}).");
      }
      int length;
      try {
        length = Base64.getDecoder().decode(key.getValue().trim()).length;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "vigil.secrets.keys." + key.getKey() + " is not base64." + HOW, e);
      }
      if (length != 16 && length != 24 && length != 32) {
        throw new IllegalArgumentException(
            "vigil.secrets.keys."
                + key.getKey()
                + " decodes to "
                + length
                + " bytes; an AES key has 16, 24 or 32."
                + HOW);
      }
    }
  }
}
