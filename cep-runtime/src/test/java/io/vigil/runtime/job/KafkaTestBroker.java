package io.vigil.runtime.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Kafka broker in KRaft mode inside the test JVM (spring-kafka-test's embedded broker used
 * as a plain object), with the few client operations the job tests need. Public for the deployment
 * test ({@code cli.ShadedJarOnSessionClusterIT}), whose job runs in other JVMs.
 */
public final class KafkaTestBroker implements AutoCloseable {

  /** The test kit's PLAIN users (its super user, and one without any ACL of its own). */
  public static final String ADMIN_JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"plain-admin\" password=\"plain-admin-secret\";";

  public static final String USER = "plain-user1";
  public static final String USER_JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"plain-user1\" password=\"plain-user1-secret\";";

  /** Null for the SASL broker ({@link #withSaslAndAcls()}). */
  private final EmbeddedKafkaKraftBroker broker;

  private final KafkaClusterTestKit saslCluster;

  /** Settings of the test's own clients (SASL as the super user, or none). */
  private final Properties client;

  private final KafkaProducer<String, String> producer;

  public KafkaTestBroker() {
    broker = new EmbeddedKafkaKraftBroker(1, 2);
    broker.brokerProperty("transaction.state.log.replication.factor", "1");
    broker.brokerProperty("transaction.state.log.min.isr", "1");
    broker.brokerProperty("auto.create.topics.enable", "false");
    broker.afterPropertiesSet();
    saslCluster = null;
    client = new Properties();
    producer = producer();
  }

  private KafkaTestBroker(KafkaClusterTestKit cluster, Properties client) {
    this.broker = null;
    this.saslCluster = cluster;
    this.client = client;
    this.producer = producer();
  }

  /**
   * A broker whose only listener is SASL_PLAINTEXT (PLAIN) with an ACL authorizer that allows
   * nothing without an ACL: {@code plain-admin} is a super user (this class's own clients), {@code
   * plain-user1} ({@link #USER}) may do only what ACLs grant it.
   */
  public static KafkaTestBroker withSaslAndAcls() {
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
              .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
              .build();
      KafkaClusterTestKit cluster =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("auto.create.topics.enable", "false")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      Properties client = new Properties();
      client.put("security.protocol", "SASL_PLAINTEXT");
      client.put("sasl.mechanism", "PLAIN");
      client.put("sasl.jaas.config", ADMIN_JAAS);
      client.put("bootstrap.servers", cluster.bootstrapServers());
      return new KafkaTestBroker(cluster, client);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the SASL broker", e);
    }
  }

  /** An admin client of the super user (to create ACLs). */
  public Admin admin() {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
    return Admin.create(props);
  }

  private KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props);
  }

  public String servers() {
    return broker != null ? broker.getBrokersAsString() : saslCluster.bootstrapServers();
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
    if (broker != null) {
      broker.addTopics(topics.toArray(NewTopic[]::new));
      return;
    }
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
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
      props.putAll(client);
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
    if (broker != null) {
      broker.destroy();
    } else {
      try {
        saslCluster.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
