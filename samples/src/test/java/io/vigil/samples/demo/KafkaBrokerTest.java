package io.vigil.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's broker is a real KRaft Kafka: what is produced can be consumed. */
class KafkaBrokerTest {

  @Test
  void aRecordProducedToTheDemoBrokerCanBeConsumed(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker =
        KafkaBroker.start(dir, freePort(), freePort(), Duration.ofSeconds(60))) {
      Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(props(common), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("demo.check", "k", "hello")).get();
      }
      Properties c = props(common);
      c.put("group.id", "t");
      c.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("demo.check"));
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        for (int i = 0; i < 30 && records.isEmpty(); i++) {
          records = consumer.poll(Duration.ofSeconds(1));
        }
        assertThat(records.iterator().next().value()).isEqualTo("hello");
      }
    }
  }

  @Test
  void aClusterIdThatBeginsWithADashIsStillFormatted(@TempDir Path dir) throws Exception {
    // Base64 ids begin with '-' one time in 64; the storage tool once read such an id as an option.
    String clusterId = "-" + Uuid.randomUuid().toString().substring(1);
    Path properties = KafkaBroker.writeProperties(dir, freePort(), freePort());

    KafkaBroker.format(dir, properties, clusterId);

    assertThat(Files.readString(dir.resolve("data").resolve("meta.properties")))
        .contains("cluster.id=" + clusterId);
  }

  private static Properties props(Map<String, Object> common) {
    Properties p = new Properties();
    p.putAll(common);
    return p;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
