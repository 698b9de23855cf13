package io.vigil.console;

import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plays events onto a stream's topic of {@link RealKafka}, as a producer of the job's input. */
public final class PlayedEvents implements AutoCloseable {

  private final KafkaProducer<String, String> producer;

  public PlayedEvents() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.get().servers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Sends one event to {@code vigil.events.<stream>}, with {@code at} as the record's time. */
  public PlayedEvents send(String stream, String key, String json, Instant at) {
    try {
      producer
          .send(new ProducerRecord<>("vigil.events." + stream, null, at.toEpochMilli(), key, json))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("the event was not sent", e);
    }
    return this;
  }

  /** A maintenance event ({@code samples/streams.vgl}) at {@code at}. */
  public static String maintenance(String id, String device, String action, Instant at) {
    return """
        {"eventId":"%s","deviceId":"%s","action":"%s","tech":"t","ts":"%s"}"""
        .formatted(id, device, action, at);
  }

  @Override
  public void close() {
    producer.close();
  }
}
