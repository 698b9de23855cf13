package io.vigil.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints alerts as the alert service sees them (committed ones only) and webhook deliveries as the
 * receiver gets them, one line each.
 */
final class AlertPrinter {
  private final ObjectMapper json = new ObjectMapper();
  private final Consumer<String> out;

  AlertPrinter(Consumer<String> out) {
    this.out = out;
  }

  /**
   * Prints every alert on {@code vigil.alerts} until {@code stopAt}; returns the count per rule.
   */
  Map<String, Integer> printUntil(String bootstrap, Instant stopAt) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "vigil-demo-printer");
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    Map<String, Integer> byRule = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("vigil.alerts"));
      while (Instant.now().isBefore(stopAt)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          byRule.merge(ruleId(r.value()), 1, Integer::sum);
          out.accept(alertLine(r.value()));
        }
      }
    }
    return byRule;
  }

  /** The line for one webhook delivery the demo's receiver got. */
  String receiptLine(WebhookReceiver.Receipt receipt) {
    return "  webhook  signature "
        + (receipt.signatureValid() ? "valid" : "INVALID")
        + (receipt.duplicate() ? " (duplicate, ignored)" : "")
        + "  "
        + webhookSummary(receipt.body());
  }

  private String ruleId(String value) {
    try {
      return json.readTree(value).path("ruleId").asText();
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private String alertLine(String value) {
    try {
      JsonNode a = json.readTree(value);
      return String.format(
          "ALERT %-8s %-22s %-7s %s",
          a.path("severity").asText(),
          a.path("ruleId").asText(),
          a.path("kind").asText(),
          a.path("message").asText());
    } catch (IOException e) {
      return "ALERT (unreadable) " + value;
    }
  }

  private String webhookSummary(String webhookBody) {
    try {
      JsonNode alerts = json.readTree(webhookBody).path("alerts");
      return alerts.size() + " alert(s), first: " + alerts.path(0).path("ruleId").asText();
    } catch (IOException e) {
      return webhookBody;
    }
  }
}
