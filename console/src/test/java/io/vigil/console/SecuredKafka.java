package io.vigil.console;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, in the test JVM) whose only listener is SASL_PLAINTEXT with the PLAIN
 * mechanism: only authenticated clients reach it; {@code plain-admin} is the test kit's super user.
 * Started once per test JVM on first use, closed when it exits.
 */
public final class SecuredKafka {

  /** The super user's JAAS line, as a client gives it in {@code sasl.jaas.config}. */
  public static final String ADMIN_JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"plain-admin\" password=\"plain-admin-secret\";";

  private final KafkaClusterTestKit cluster;

  private SecuredKafka() throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .build();
    cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    cluster.close();
                  } catch (Exception e) {
                    // the JVM is exiting
                  }
                }));
  }

  private static final class Holder {
    static final SecuredKafka INSTANCE = create();

    private static SecuredKafka create() {
      try {
        return new SecuredKafka();
      } catch (Exception e) {
        throw new IllegalStateException("the SASL broker did not start", e);
      }
    }
  }

  public static SecuredKafka get() {
    return Holder.INSTANCE;
  }

  public String servers() {
    return cluster.bootstrapServers();
  }

  /** The client settings of the super user: what a console on this broker is configured with. */
  public static Map<String, String> saslSettings() {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        ADMIN_JAAS);
  }

  private Properties client() {
    Properties props = new Properties();
    props.putAll(saslSettings());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
    return props;
  }

  /** Creates the topics (one partition each; {@code vigil.rules} and the history compacted). */
  public void createTopics(String... names) {
    try (Admin admin = Admin.create(client())) {
      admin
          .createTopics(
              java.util.Arrays.stream(names)
                  .map(
                      n ->
                          n.equals("vigil.rules") || n.equals("vigil.rule-versions")
                              ? new NewTopic(n, 1, (short) 1)
                                  .configs(Map.of("cleanup.policy", "compact"))
                              : new NewTopic(n, 1, (short) 1))
                  .toList())
          .all()
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("topics not created", e);
    }
  }

  /** Sends the values to the topic, stamped {@code at} (epoch ms), as the super user. */
  public void send(String topic, long at, List<String> values) {
    Properties props = client();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, null, at, null, value)).get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("not sent", e);
    }
  }
}
