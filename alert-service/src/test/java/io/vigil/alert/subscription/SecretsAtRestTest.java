package io.vigil.alert.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Webhook secrets are encrypted in Redis, and deliveries are still signed with the plaintext. */
class SecretsAtRestTest extends ServiceTestSupport {
  private static final String SECRET = "whsec-at-rest-0123456789";

  @Autowired SubscriptionStore store;

  @Test
  void theStoredSecretIsCiphertextAndTheReceiverStillVerifiesTheSignature() throws Exception {
    String rule = Alerts.uniqueRule("at_rest");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      String raw = (String) redis.opsForHash().get(SubscriptionStore.KEY, id);
      assertThat(raw).doesNotContain(SECRET).contains("\"secret\":\"enc:v1:test-1:");

      publish("k", Alerts.simple(Alerts.newId(), rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
      api("DELETE", "/api/subscriptions/" + id, null);
    }
  }

  @Test
  void aSecretStoredInPlaintextBeforeEncryptionIsReencryptedAndStillWorks() throws Exception {
    String rule = Alerts.uniqueRule("legacy");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      // Rewrite it the way it was stored before secrets were encrypted: the secret in clear.
      String encrypted = (String) redis.opsForHash().get(SubscriptionStore.KEY, id);
      String plaintext =
          encrypted.replaceFirst("\"secret\":\"enc:v1:[^\"]*\"", "\"secret\":\"" + SECRET + "\"");
      redis.opsForHash().put(SubscriptionStore.KEY, id, plaintext);
      assertThat((String) redis.opsForHash().get(SubscriptionStore.KEY, id)).contains(SECRET);

      assertThat(store.reencryptSecrets()).isGreaterThanOrEqualTo(1);

      String raw = (String) redis.opsForHash().get(SubscriptionStore.KEY, id);
      assertThat(raw).doesNotContain(SECRET).contains("enc:v1:test-1:");
      assertThat(store.find(id).orElseThrow().secret()).isEqualTo(SECRET);
      publish("k", Alerts.simple(Alerts.newId(), rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
      api("DELETE", "/api/subscriptions/" + id, null);
    }
  }
}
