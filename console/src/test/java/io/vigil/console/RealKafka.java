package io.vigil.console;

import io.vigil.testing.kafka.KafkaBroker;

/**
 * The console tests' Kafka broker (KRaft, in this JVM): started once per test JVM with the job's
 * control, status, alert and event topics, and stopped when it exits.
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

  private RealKafka() {}

  private static final class Holder {
    static final KafkaBroker INSTANCE = KafkaBroker.builder().topics(TOPICS).start().closedAtExit();
  }

  public static KafkaBroker get() {
    return Holder.INSTANCE;
  }
}
