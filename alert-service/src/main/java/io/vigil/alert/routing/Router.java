package io.vigil.alert.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.delivery.AdmitResult;
import io.vigil.alert.delivery.DeliveryStore;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import io.vigil.alert.silence.SilenceStore;
import io.vigil.alert.subscription.Subscription;
import io.vigil.alert.subscription.SubscriptionStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides who is notified of an alert: every enabled subscription whose filters (rules, tags,
 * owner, key, minimum severity) match, unless a silence mutes the alert. Each chosen pair then goes
 * through dedup, throttle and grouping in one atomic step ({@link DeliveryStore#admit}). When this
 * returns, every notification is durably scheduled (or deliberately dropped).
 */
@Component
public class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final SubscriptionStore subscriptions;
  private final SilenceStore silences;
  private final DeliveryStore deliveries;
  private final AlertJson json;
  private final MeterRegistry metrics;
  private final Clock clock;

  public Router(
      SubscriptionStore subscriptions,
      SilenceStore silences,
      DeliveryStore deliveries,
      AlertJson json,
      MeterRegistry metrics,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.silences = silences;
    this.deliveries = deliveries;
    this.json = json;
    this.metrics = metrics;
    this.clock = clock;
  }

  public void route(Alert alert) {
    List<Subscription> wanted = subscriptions.all().stream().filter(s -> s.wants(alert)).toList();
    if (wanted.isEmpty()) {
      return;
    }
    if (silences.isSilenced(alert)) {
      metrics.counter("vigil.notifications", "outcome", "silenced").increment(wanted.size());
      log.info("alert silenced; {} notifications muted", wanted.size());
      return;
    }
    String alertJson = json.encode(alert);
    for (Subscription s : wanted) {
      AdmitResult result = deliveries.admit(s, alert, alertJson, clock.instant());
      metrics.counter("vigil.notifications", "outcome", result.tag()).increment();
      log.debug("alert for subscription {}: {}", s.id(), result.tag());
    }
  }
}
