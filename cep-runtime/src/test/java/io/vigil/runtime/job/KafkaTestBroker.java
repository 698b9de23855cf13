package io.vigil.runtime.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Kafka broker in KRaft mode inside the test JVM (spring-kafka-test's embedded broker used
 * as a plain object), with the few client operations the job tests need. Public for the deployment
 * test ({@code cli.ShadedJarOnSessionClusterIT}), whose job runs in other JVMs.
 */
public final class KafkaTestBroker implements AutoCloseable {

  private final EmbeddedKafkaKraftBroker broker;
  private final KafkaProducer<String, String> producer;

  public KafkaTestBroker() {
    broker = new EmbeddedKafkaKraftBroker(1, 2);
    broker.brokerProperty("transaction.state.log.replication.factor", "1");
    broker.brokerProperty("transaction.state.log.min.isr", "1");
    broker.brokerProperty("auto.create.topics.enable", "false");
    broker.afterPropertiesSet();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props);
  }

  public String servers() {
    return broker.getBrokersAsString();
  }

  public void createTopics(String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      NewTopic topic = new NewTopic(name, 2, (short) 1);
      if (name.equals("vigil.rules")) {
        topic = new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"));
      }
      topics.add(topic);
    }
    broker.addTopics(topics.toArray(NewTopic[]::new));
  }

  /** Sends and waits for the broker's acknowledgement; the key decides the partition. */
  public void send(String topic, String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends all records, then waits for every acknowledgement: faster than one {@link #send} each,
   * and the order per partition is kept (the producer is idempotent).
   */
  public void sendAll(List<ProducerRecord<String, String>> records) {
    List<Future<?>> acks = new ArrayList<>();
    records.forEach(r -> acks.add(producer.send(r)));
    try {
      for (Future<?> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends to one partition explicitly. */
  public void send(String topic, int partition, String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A read_committed reader of one topic from its beginning; {@link Reader#poll} accumulates. */
  public Reader reader(String topic) {
    return new Reader(topic);
  }

  public final class Reader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    Reader(String topic) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      consumer = new KafkaConsumer<>(props);
      consumer.subscribe(List.of(topic));
    }

    /** Everything read so far, after one more poll. */
    public List<ConsumerRecord<String, String>> poll() {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      return List.copyOf(records);
    }

    public List<String> values() {
      return poll().stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  @Override
  public void close() {
    producer.close();
    broker.destroy();
  }
}
