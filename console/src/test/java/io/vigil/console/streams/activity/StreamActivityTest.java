package io.vigil.console.streams.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.RealKafka;
import io.vigil.console.security.Role;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The background sampler is slowed to once an hour in tests: each test samples when it wants. */
class StreamActivityTest extends ConsoleTestSupport {
  @Autowired StreamActivity activity;
  @Autowired WebApplicationContext context;
  @Autowired JsonMapper json;

  static void send(String topic, String... values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealKafka.get().servers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, null, value)).get();
      }
    }
  }

  @Test
  void aStreamsRateIsTheEventsAppendedToItsTopicBetweenTwoSamplesOverTheTimeBetweenThem()
      throws Exception {
    activity.sample();
    send("vigil.events.readings", "{\"a\":1}", "{\"a\":2}", "{\"a\":3}", "{\"a\":4}", "{\"a\":5}");

    ActivitySnapshot after = activity.sample();

    StreamRate rate = after.rate("readings").orElseThrow();
    assertThat(rate.topic()).isEqualTo("vigil.events.readings");
    assertThat(rate.events()).isEqualTo(5);
    assertThat(rate.window()).isPositive();
    assertThat(rate.perSecond()).isEqualTo(5000.0 / rate.window().toMillis());
    assertThat(activity.sample().rate("readings").orElseThrow().events()).isZero();
  }

  @Test
  void theRateChartHasAPointPerSampleWithEachStreamsEventsPerSecond() throws Exception {
    String stream = "charted_" + System.nanoTime();
    send("vigil.events." + stream, "{\"a\":0}");
    activity.sample();
    send("vigil.events." + stream, "{\"a\":1}", "{\"a\":2}", "{\"a\":3}");

    ActivitySnapshot after = activity.sample();

    StreamRate rate = after.rate(stream).orElseThrow();
    assertThat(rate.events()).isEqualTo(3);
    ConsoleMvc viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
    MockHttpServletResponse response = viewer.get("/streams/activity/rates");
    assertThat(response.getContentType()).startsWith("application/json");
    JsonNode chart = json.readTree(response.getContentAsString());
    assertThat(chart.get("unit").asString()).isEqualTo("events/s");
    int last = chart.get("times").size() - 1;
    assertThat(chart.get("times").get(last).asLong())
        .isEqualTo(after.sampledAt().orElseThrow().getEpochSecond());
    JsonNode series = null;
    for (JsonNode s : chart.get("series")) {
      if (s.get("label").asString().equals(stream)) {
        series = s;
      }
    }
    assertThat(series).as("the stream's series").isNotNull();
    assertThat(series.get("values")).hasSize(last + 1);
    assertThat(series.get("values").get(last).asDouble()).isEqualTo(rate.perSecond());
    assertThat(rate.perSecond()).isPositive();

    String page = viewer.get("/streams").getContentAsString();
    assertThat(page)
        .contains("id=\"rate-chart\"", "data-src=\"/streams/activity/rates\"", "/js/charts.js");
  }

  @Test
  void theStreamsPageShowsRatesAndTheNewestDeadLettersWithTheirReasons() throws Exception {
    String reason = "missing field amount, seen at " + System.nanoTime();
    java.time.Instant now = java.time.Instant.now();
    send(
        "vigil.dead-letter",
        "{\"reason\":\"older letter\",\"stream\":\"payments\",\"payload\":\"{}\","
            + "\"source\":{\"topic\":\"vigil.events.payments\",\"partition\":0,\"offset\":7},"
            + "\"at\":\""
            + now.minusSeconds(1)
            + "\"}",
        "{\"reason\":\""
            + reason
            + "\",\"stream\":\"payments\",\"payload\":\"{\\\"cardId\\\":\\\"c-9\\\"}\","
            + "\"source\":{\"topic\":\"vigil.events.payments\",\"partition\":0,\"offset\":8},"
            + "\"at\":\""
            + now
            + "\"}");

    ActivitySnapshot sampled = activity.sample();

    assertThat(sampled.deadLetters()).isNotEmpty();
    assertThat(sampled.deadLetters().get(0).reason()).isEqualTo(reason);
    assertThat(sampled.deadLetters().get(0).origin()).isEqualTo("vigil.events.payments/0@8");
    assertThat(sampled.deadLetterCount()).isGreaterThanOrEqualTo(2);
    activity.sample();
    String page =
        ConsoleMvc.as(context, "viewer", Role.VIEWER).get("/streams").getContentAsString();
    assertThat(page).contains(reason, "vigil.events.payments/0@8", "c-9", "events/s");
  }
}
