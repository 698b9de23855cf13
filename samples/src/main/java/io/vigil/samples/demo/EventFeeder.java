package io.vigil.samples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.samples.generate.FraudScenario;
import io.vigil.samples.generate.GeneratedEvent;
import io.vigil.samples.generate.IotScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the fraud and IoT scenarios into the event topics, round after round, with event time
 * running {@code speed} times faster than the wall clock (so an hour of card traffic takes three
 * minutes at speed 20). Each round starts where the previous one ended in event time.
 */
public final class EventFeeder implements Runnable {

  private final String bootstrapServers;
  private final String topicPrefix;
  private final double speed;
  private final LongConsumer onRoundDone;
  private volatile boolean running = true;

  public EventFeeder(
      String bootstrapServers, String topicPrefix, double speed, LongConsumer onRoundDone) {
    this.bootstrapServers = bootstrapServers;
    this.topicPrefix = topicPrefix;
    this.speed = speed;
    this.onRoundDone = onRoundDone;
  }

  public void stop() {
    running = false;
  }

  @Override
  public void run() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("linger.ms", "20");
    ObjectMapper json = new ObjectMapper();
    Instant eventStart = Instant.now();
    long round = 0;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      while (running) {
        round++;
        List<GeneratedEvent> events = new ArrayList<>();
        events.addAll(
            FraudScenario.generate(new FraudScenario.Config(eventStart, 40, 600, 2, round)));
        events.addAll(
            IotScenario.generate(
                new IotScenario.Config(eventStart, 8, Duration.ofMinutes(60), 1000 + round)));
        events.sort(Comparator.comparing(GeneratedEvent::time));
        long wallStart = System.nanoTime();
        for (GeneratedEvent e : events) {
          if (!running) {
            return;
          }
          long dueNanos = (long) (Duration.between(eventStart, e.time()).toNanos() / speed);
          long sleepMillis = (dueNanos - (System.nanoTime() - wallStart)) / 1_000_000;
          if (sleepMillis > 0) {
            Thread.sleep(sleepMillis);
          }
          Map<String, Object> event = new LinkedHashMap<>(e.event());
          producer.send(
              new ProducerRecord<>(
                  topicPrefix + e.stream(),
                  String.valueOf(event.get("eventId")),
                  json.writeValueAsString(event)));
        }
        producer.flush();
        eventStart = events.get(events.size() - 1).time().plusSeconds(1);
        onRoundDone.accept(round);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("generated events are plain maps", e);
    }
  }
}
