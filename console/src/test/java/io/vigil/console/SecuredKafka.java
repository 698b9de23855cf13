package io.vigil.console;

import io.vigil.testing.kafka.KafkaBroker;

/**
 * The console tests' SASL broker (KRaft, in this JVM; see {@link KafkaBroker#withSaslAndAcls()}):
 * only authenticated clients reach it. Started once per test JVM on first use, closed when it
 * exits.
 */
public final class SecuredKafka {

  private SecuredKafka() {}

  private static final class Holder {
    static final KafkaBroker INSTANCE = KafkaBroker.withSaslAndAcls().closedAtExit();
  }

  public static KafkaBroker get() {
    return Holder.INSTANCE;
  }
}
