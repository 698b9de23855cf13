package io.vigil.alert.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.ServiceTestSupport;
import org.junit.jupiter.api.Test;

class SubscriptionApiTest extends ServiceTestSupport {
  private static final String HOOK =
      """
      {"name":"fraud hook","type":"webhook","url":"http://127.0.0.1:9/hook",
       "secret":"a-secret-of-enough-length","match":{"ruleIds":["card_testing"],"tags":["fraud"]},
       "minSeverity":"high","throttle":"PT5M"}
      """;

  @Test
  void theApiRefusesRequestsWithoutTheToken() {
    assertThat(call("GET", "/api/subscriptions", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/api/subscriptions", null, "wrong-token-xxxxxxxx").status())
        .isEqualTo(401);
    assertThat(call("POST", "/api/subscriptions", HOOK, null).status()).isEqualTo(401);
  }

  @Test
  void aSecretSentByTheClientIsNeverReturned() {
    Response created = api("POST", "/api/subscriptions", HOOK);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("a-secret-of-enough-length");
    String id = tree(created.body()).get("id").asString();

    Response read = api("GET", "/api/subscriptions/" + id, null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(tree(read.body()).get("hasSecret").asBoolean()).isTrue();
    assertThat(tree(read.body()).get("minSeverity").asString()).isEqualTo("high");
    assertThat(read.body()).doesNotContain("a-secret-of-enough-length");
    assertThat(api("GET", "/api/subscriptions", null).body())
        .doesNotContain("a-secret-of-enough-length");

    // Replacing without a secret keeps the stored one (still not shown).
    Response replaced =
        api(
            "PUT",
            "/api/subscriptions/" + id,
            HOOK.replace("\"secret\":\"a-secret-of-enough-length\",", "")
                .replace("fraud hook", "renamed"));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(tree(replaced.body()).get("name").asString()).isEqualTo("renamed");
    assertThat(tree(replaced.body()).get("hasSecret").asBoolean()).isTrue();

    assertThat(api("DELETE", "/api/subscriptions/" + id, null).status()).isEqualTo(204);
    assertThat(api("GET", "/api/subscriptions/" + id, null).status()).isEqualTo(404);
  }

  @Test
  void aGeneratedSecretIsShownOnceAtCreation() {
    Response created =
        api(
            "POST",
            "/api/subscriptions",
            HOOK.replace("\"secret\":\"a-secret-of-enough-length\",", ""));
    assertThat(created.status()).isEqualTo(201);
    String secret = tree(created.body()).get("generatedSecret").asString();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
    String id = tree(created.body()).get("id").asString();
    assertThat(api("GET", "/api/subscriptions/" + id, null).body()).doesNotContain(secret);
  }

  @Test
  void invalidSubscriptionsAreRefusedWithTheReason() {
    Response noUrl =
        api("POST", "/api/subscriptions", HOOK.replace("\"url\":\"http://127.0.0.1:9/hook\",", ""));
    assertThat(noUrl.status()).isEqualTo(400);
    Response shortSecret =
        api("POST", "/api/subscriptions", HOOK.replace("a-secret-of-enough-length", "short"));
    assertThat(shortSecret.status()).isEqualTo(400);
    Response badEmail =
        api(
            "POST",
            "/api/subscriptions",
            "{\"name\":\"m\",\"type\":\"email\",\"to\":[\"not-an-address\"]}");
    assertThat(badEmail.status()).isEqualTo(400);
    Response noName =
        api("POST", "/api/subscriptions", HOOK.replace("\"name\":\"fraud hook\",", ""));
    assertThat(noName.status()).isEqualTo(400);
  }

  @Test
  void webhookUrlsIntoTheInternalNetworkAreRefused() {
    for (String url :
        new String[] {
          "http://169.254.169.254/latest/meta-data/",
          "http://10.1.2.3/hook",
          "http://192.168.0.10/hook",
          "http://[fd00::1]/hook",
          "ftp://example.org/hook",
          "file:///etc/passwd"
        }) {
      Response refused =
          api("POST", "/api/subscriptions", HOOK.replace("http://127.0.0.1:9/hook", url));
      assertThat(refused.status()).as(url).isEqualTo(400);
    }
  }
}
