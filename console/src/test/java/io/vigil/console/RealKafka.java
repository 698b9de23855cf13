package io.vigil.console;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A KRaft Kafka broker in this JVM, started once per test JVM with the job's control, status, alert
 * and event topics, and stopped when it exits.
 */
public final class RealKafka {

  public static final String[] TOPICS = {
    "vigil.rules",
    "vigil.rule-status",
    "vigil.alerts",
    "vigil.late",
    "vigil.dead-letter",
    "vigil.events.payments",
    "vigil.events.logins",
    "vigil.events.readings",
    "vigil.events.maintenance"
  };

  private final EmbeddedKafkaKraftBroker broker;

  private RealKafka() {
    broker = new EmbeddedKafkaKraftBroker(1, 1, TOPICS);
    // One broker: the deploy library's transactions need their state topic on it.
    broker.brokerProperty("transaction.state.log.replication.factor", "1");
    broker.brokerProperty("transaction.state.log.min.isr", "1");
    broker.afterPropertiesSet();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
  }

  private static final class Holder {
    static final RealKafka INSTANCE = new RealKafka();
  }

  public static RealKafka get() {
    return Holder.INSTANCE;
  }

  public String servers() {
    return broker.getBrokersAsString();
  }
}
