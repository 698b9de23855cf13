package io.vigil.runtime.verify;

import io.vigil.runtime.alert.Alert;
import java.util.List;

/**
 * An alert as one comparable line, {@code <kind> <key> <message>}: what a test case expects, e.g.
 * {@code MATCH {cardId=c1} Card c1: 3 tiny charges then 899.00 EUR at TechHub}. The same line as
 * the console's saved test cases, so that a case saved there reads here unchanged. Ids, times and
 * matched events are left out: they follow from the events, the message says what an analyst
 * checks.
 */
public final class AlertSignature {

  private AlertSignature() {}

  public static String of(Alert alert) {
    return alert.kind() + " " + alert.key() + " " + alert.message();
  }

  /** The signatures of {@code alerts}, sorted. */
  public static List<String> of(List<Alert> alerts) {
    return alerts.stream().map(AlertSignature::of).sorted().toList();
  }
}
