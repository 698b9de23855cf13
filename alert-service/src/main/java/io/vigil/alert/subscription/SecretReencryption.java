package io.vigil.alert.subscription;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start-up, re-encrypts the secrets stored under an older key (or, from before encryption, in
 * plaintext) with the active key: a rotation is "add the new key, make it active, restart".
 */
@Component
class SecretReencryption {
  private static final Logger log = LoggerFactory.getLogger(SecretReencryption.class);

  private final SubscriptionStore subscriptions;

  SecretReencryption(SubscriptionStore subscriptions) {
    this.subscriptions = subscriptions;
  }

  @EventListener(ApplicationReadyEvent.class)
  void reencrypt() {
    try {
      int n = subscriptions.reencryptSecrets();
      if (n > 0) {
        log.info("re-encrypted {} webhook secrets with the active key", n);
      }
    } catch (RuntimeException e) {
      // Redis away or a key missing: the secrets stay readable as they are; next start retries.
      log.warn("could not re-encrypt webhook secrets: {}", e.toString());
    }
  }
}
