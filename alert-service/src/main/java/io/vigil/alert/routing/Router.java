package io.vigil.alert.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.model.Alert;
import io.vigil.alert.subscription.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Decides who is notified of an alert: every enabled subscription whose filters (rules, tags,
 * owner, key, minimum severity) match, unless a silence mutes the alert. Pure and in memory, on a
 * {@link RoutingSnapshot}; the chosen pairs then go through dedup, throttle and grouping in the
 * batch intake script, atomically with storing the alerts.
 */
@Component
public class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final MeterRegistry metrics;

  public Router(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** The notifications for a batch of alerts, in alert order (stable within an alert). */
  public List<Notification> route(List<Alert> alerts, RoutingSnapshot snapshot, Instant now) {
    List<Notification> out = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      List<Subscription> wanted = snapshot.wanting(alert);
      if (wanted.isEmpty()) {
        continue;
      }
      if (snapshot.silenced(alert, now)) {
        metrics.counter("vigil.notifications", "outcome", "silenced").increment(wanted.size());
        MDC.put("alertId", alert.alertId());
        try {
          log.info("alert silenced; {} notifications muted", wanted.size());
        } finally {
          MDC.remove("alertId");
        }
        continue;
      }
      for (Subscription s : wanted) {
        out.add(new Notification(i + 1, s));
      }
    }
    return out;
  }
}
