package io.vigil.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode inside the test JVM (Kafka's own test kit), with the few client
 * operations tests need: create topics, send, read from the beginning.
 *
 * <p>Two kinds: {@link #builder()} gives a PLAINTEXT broker; {@link #withSaslAndAcls()} one whose
 * only listener is SASL_PLAINTEXT (PLAIN) with an ACL authorizer. The broker's own clients (this
 * class's producer, readers and admin) use {@link #securitySettings()}: none, or the SASL super
 * user.
 *
 * <p>The control topics {@value #RULES_TOPIC} and {@value #RULE_VERSIONS_TOPIC} are always created
 * with one partition and compaction, as the job and the console require; every other topic gets the
 * broker's partition count.
 */
public final class KafkaBroker implements AutoCloseable {

  static final String RULES_TOPIC = "vigil.rules";
  static final String RULE_VERSIONS_TOPIC = "vigil.rule-versions";
  private static final Set<String> COMPACTED = Set.of(RULES_TOPIC, RULE_VERSIONS_TOPIC);

  /** The test kit's PLAIN super user, as a client gives it in {@code sasl.jaas.config}. */
  public static final String ADMIN_JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"plain-admin\" password=\"plain-admin-secret\";";

  /** The test kit's PLAIN user without any ACL of its own. */
  public static final String USER = "plain-user1";

  public static final String USER_JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"plain-user1\" password=\"plain-user1-secret\";";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private final KafkaClusterTestKit cluster;
  private final int partitions;
  private final Map<String, String> security;
  private final KafkaProducer<String, String> producer;

  private KafkaBroker(KafkaClusterTestKit cluster, int partitions, Map<String, String> security) {
    this.cluster = cluster;
    this.partitions = partitions;
    this.security = Map.copyOf(security);
    this.producer = producer();
  }

  /** A PLAINTEXT broker; see {@link Builder} for its choices. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A broker whose only listener is SASL_PLAINTEXT (PLAIN) with an ACL authorizer that allows
   * nothing without an ACL: {@code plain-admin} is a super user (this class's own clients), {@link
   * #USER} may do only what ACLs grant it. One partition per topic; topics are never created
   * automatically.
   */
  public static KafkaBroker withSaslAndAcls() {
    Map<String, String> security = new LinkedHashMap<>();
    security.put("security.protocol", "SASL_PLAINTEXT");
    security.put("sasl.mechanism", "PLAIN");
    security.put("sasl.jaas.config", ADMIN_JAAS);
    return start(SecurityProtocol.SASL_PLAINTEXT, 1, false, List.of(), security);
  }

  /** The choices of a PLAINTEXT broker. */
  public static final class Builder {
    private int partitions = 1;
    private boolean autoCreateTopics = true;
    private List<String> topics = List.of();

    private Builder() {}

    /** Partitions of each topic this class creates, except the control topics (default 1). */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Refuses to create a topic on first use, as a production broker is usually set up. */
    public Builder noAutoCreatedTopics() {
      this.autoCreateTopics = false;
      return this;
    }

    /** Topics created when the broker starts. */
    public Builder topics(String... names) {
      this.topics = List.of(names);
      return this;
    }

    public KafkaBroker start() {
      return KafkaBroker.start(
          SecurityProtocol.PLAINTEXT, partitions, autoCreateTopics, topics, Map.of());
    }
  }

  private static KafkaBroker start(
      SecurityProtocol protocol,
      int partitions,
      boolean autoCreateTopics,
      List<String> topics,
      Map<String, String> security) {
    keepTheJvmOnFatalErrors();
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBrokerSecurityProtocol(protocol)
              .setControllerSecurityProtocol(protocol)
              .build();
      cluster =
          new KafkaClusterTestKit.Builder(nodes)
              // One broker: transactions (the job's exactly-once sink) need their state topic on
              // it.
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("offsets.topic.replication.factor", "1")
              // A consumer group starts at once, not after the default three seconds.
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("delete.topic.enable", "true")
              .setConfigProp("num.partitions", String.valueOf(partitions))
              .setConfigProp("auto.create.topics.enable", String.valueOf(autoCreateTopics))
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      KafkaBroker broker = new KafkaBroker(cluster, partitions, security);
      if (!topics.isEmpty()) {
        broker.createTopics(topics.toArray(String[]::new));
      }
      return broker;
    } catch (Exception e) {
      if (cluster != null) {
        closeQuietly(cluster);
      }
      throw new IllegalStateException("the " + protocol + " Kafka broker did not start", e);
    }
  }

  /**
   * A broker that meets a fatal error (often while it stops, at the end of a test JVM) calls
   * Kafka's {@code Exit}, which halts the JVM: the test run would end with an error although every
   * test passed. In a test JVM the error is logged instead, as spring-kafka-test's broker does.
   */
  private static void keepTheJvmOnFatalErrors() {
    Exit.setExitProcedure(
        (code, message) -> LOG.warn("Kafka asked to exit the JVM ({}): {}", code, message));
    Exit.setHaltProcedure(
        (code, message) -> LOG.warn("Kafka asked to halt the JVM ({}): {}", code, message));
  }

  /** Stops the broker when the JVM exits: for a broker shared by all tests of one JVM. */
  public KafkaBroker closedAtExit() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    return this;
  }

  public String servers() {
    return cluster.bootstrapServers();
  }

  /**
   * The client settings, beside the bootstrap servers, of this broker's super user: none on the
   * PLAINTEXT broker; the security protocol, mechanism and JAAS line on the SASL broker.
   */
  public Map<String, String> securitySettings() {
    return security;
  }

  private Properties clientProperties() {
    Properties props = new Properties();
    props.putAll(security);
    props.put("bootstrap.servers", servers());
    return props;
  }

  /** An admin client of the super user (to create topics or ACLs). */
  public Admin admin() {
    return Admin.create(clientProperties());
  }

  /** Creates the topics ({@value #RULES_TOPIC} and the rule versions compacted, one partition). */
  public void createTopics(String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(
          COMPACTED.contains(name)
              ? new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))
              : new NewTopic(name, partitions, (short) 1));
    }
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("topics " + List.of(names) + " not created", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private KafkaProducer<String, String> producer() {
    Properties props = clientProperties();
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props);
  }

  /** Sends and waits for the broker's acknowledgement; the key decides the partition. */
  public void send(String topic, String key, String value) {
    sendAll(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /** Sends to one partition explicitly. */
  public void send(String topic, int partition, String key, String value) {
    sendAll(List.of(new ProducerRecord<>(topic, partition, key, value)));
  }

  /** Sends the values without key, each stamped {@code timestamp} (epoch ms). */
  public void send(String topic, long timestamp, List<String> values) {
    sendAll(
        values.stream()
            .map(v -> new ProducerRecord<String, String>(topic, null, timestamp, null, v))
            .toList());
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
    } catch (ExecutionException e) {
      throw new IllegalStateException("not sent", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A read_committed reader of one topic from its beginning; {@link Reader#poll} accumulates. */
  public Reader reader(String topic) {
    return new Reader(topic);
  }

  /** A consumer of one topic that keeps everything it has read. */
  public final class Reader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    private Reader(String topic) {
      Properties props = clientProperties();
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      consumer = new KafkaConsumer<>(props);
      consumer.subscribe(List.of(topic));
    }

    /**
     * Everything read so far, after one more poll. The first call joins the consumer group before
     * that poll, so that the poll reads instead of spending itself on the join and returning
     * nothing although records are there.
     */
    public List<ConsumerRecord<String, String>> poll() {
      long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.assignment().isEmpty() && System.nanoTime() < giveUpAt) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
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
    closeQuietly(cluster);
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    try {
      cluster.close();
    } catch (Exception e) {
      // The broker is being thrown away; a failure to stop it cleanly changes no test's outcome.
    }
  }
}
