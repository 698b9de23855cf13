package io.vigil.testing.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.testing.webhook.WebhookReceiver.Received;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

  private static final String SECRET = "a-signing-secret-0123456789";
  private final HttpClient client = HttpClient.newHttpClient();

  private int post(String url, String body, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Idempotency-Key", "key-1")
            .header("Vigil-Timestamp", "1700000000")
            .header("Vigil-Attempt", "2")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!signature.isEmpty()) {
      request.header("Vigil-Signature", signature);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String sign(String secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal());
  }

  @Test
  void aCorrectlySignedRequestGetsTheChosenStatusAndAWronglySignedOne401() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> n == 1 ? 503 : 200)) {
      String body = "{\"alertId\":\"a1\"}";

      assertThat(post(receiver.url(), body, sign(SECRET, "1700000000", body))).isEqualTo(503);
      assertThat(post(receiver.url(), body, sign("another-secret", "1700000000", body)))
          .isEqualTo(401);
      assertThat(post(receiver.url(), body, sign(SECRET, "1700000000", body))).isEqualTo(200);

      assertThat(receiver.received())
          .extracting(Received::signatureValid, Received::answeredStatus)
          .containsExactly(tuple(true, 503), tuple(false, 401), tuple(true, 200));
      assertThat(receiver.received().get(0).idempotencyKey()).isEqualTo("key-1");
      assertThat(receiver.received().get(0).attempt()).isEqualTo(2);
      assertThat(receiver.accepted()).hasSize(1);
      assertThat(receiver.effects()).containsOnlyKeys("key-1");
    }
  }

  @Test
  void anUnverifiedReceiverAnswersEveryRequestWithItsStatusAndRecordsTheBodies() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.unverified(410)) {
      assertThat(post(receiver.url(), "first", "")).isEqualTo(410);
      receiver.answer(200);
      assertThat(post(receiver.url(), "second", "v1=00")).isEqualTo(200);

      assertThat(receiver.bodies()).containsExactly("first", "second");
      assertThat(receiver.received()).noneMatch(Received::signatureValid);
    }
  }
}
