package io.vigil.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  @Test
  void matchesWhatOpensslComputesForTimestampDotBody() {
    // printf '%s' '1700000000.{"version":1}' | openssl dgst -sha256 -hmac 'whsec-test' -hex
    String expected = "v1=274fa19a2b82656d91420a4e63c58e236ebef72fa5a30d4eae149450e313ba4c";
    assertThat(
            WebhookSignature.sign(
                "whsec-test", 1700000000L, "{\"version\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(expected);
  }
}
