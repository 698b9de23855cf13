package io.vigil.alert.delivery;

import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What one attempt's outcome does to its delivery: delivered, retried after a backoff, deferred
 * (not sent, no attempt spent), or parked. Only real calls are recorded as attempts. A delivery is
 * parked after {@code max-attempts} failed calls, after a permanent failure, or when its next try
 * would fall beyond its retry horizon ({@link DeliveryProperties#retryHorizon()}, counted from when
 * it was scheduled or last replayed), so that even an endpoint whose circuit never closes again has
 * its deliveries parked in bounded time.
 *
 * <p>A call that succeeds replays the subscription's parked deliveries when {@code
 * vigil.delivery.auto-replay} is on (except those parked after a permanent failure): the endpoint
 * is back, so what it missed while it was down is sent again at once.
 */
@Component
class DeliveryOutcomes {
  private static final Logger log = LoggerFactory.getLogger(DeliveryOutcomes.class);

  private final DeliveryStore store;
  private final ParkedDeliveries parked;
  private final DeliveryMetrics metrics;
  private final DeliveryProperties properties;
  private final Backoff backoff;
  private final Duration horizon;

  DeliveryOutcomes(
      DeliveryStore store,
      ParkedDeliveries parked,
      DeliveryMetrics metrics,
      DeliveryProperties properties) {
    this.store = store;
    this.parked = parked;
    this.metrics = metrics;
    this.properties = properties;
    this.backoff = Backoff.of(properties, RandomGenerator.getDefault());
    this.horizon = properties.retryHorizon();
  }

  /**
   * Records the outcome of attempt {@code number}. Returns false if the delivery was only deferred.
   */
  boolean record(
      Delivery delivery,
      Subscription subscription,
      int number,
      Instant started,
      Instant ended,
      Outcome outcome) {
    ChannelType channel = subscription.type();
    Duration took = Duration.between(started, ended);
    Instant deadline = delivery.retryDeadline(horizon);
    List<Attempt> attempts = new ArrayList<>(delivery.attempts());
    if (outcome instanceof Outcome.Deferred d) {
      if (d.circuitOpen()) {
        metrics.count(channel, "deferred");
      }
      Instant next = ended.plus(d.pause());
      if (next.isAfter(deadline)) {
        park(delivery, channel, attempts, ended, ParkReason.EXPIRED, "retry horizon passed");
        return true;
      }
      store.finish(delivery, delivery.status(), attempts, next, ended);
      return false;
    } else if (outcome instanceof Outcome.Delivered d) {
      attempts.add(new Attempt(attempts.size() + 1, started, d.status(), "", took.toMillis()));
      long parkedNow = store.finish(delivery, DeliveryStatus.DELIVERED, attempts, ended, ended);
      metrics.attempt(channel, took);
      metrics.count(channel, "delivered");
      metrics.latency(channel, Duration.between(delivery.createdAt(), ended));
      log.info(
          "delivered {} to subscription {} (attempt {})",
          delivery.id(),
          delivery.subscriptionId(),
          number);
      if (parkedNow > 0 && properties.autoReplay()) {
        replayParked(subscription, ended);
      }
    } else if (outcome instanceof Outcome.Permanent p) {
      attempts.add(
          new Attempt(attempts.size() + 1, started, p.status(), p.error(), took.toMillis()));
      metrics.attempt(channel, took);
      metrics.count(channel, "failed");
      park(delivery, channel, attempts, ended, ParkReason.PERMANENT, p.error());
    } else if (outcome instanceof Outcome.Retryable r) {
      attempts.add(
          new Attempt(attempts.size() + 1, started, r.status(), r.error(), took.toMillis()));
      metrics.attempt(channel, took);
      metrics.count(channel, "failed");
      Duration pause = backoff.after(number, r.retryAfter());
      Instant next = ended.plus(pause);
      if (number >= properties.maxAttempts()) {
        park(delivery, channel, attempts, ended, ParkReason.EXHAUSTED, r.error());
      } else if (next.isAfter(deadline)) {
        park(delivery, channel, attempts, ended, ParkReason.EXPIRED, r.error());
      } else {
        store.finish(delivery, DeliveryStatus.RETRY, attempts, next, ended);
        metrics.count(channel, "retried");
        log.info(
            "attempt {} of {} failed ({}); retry in {} ms",
            number,
            delivery.id(),
            r.error(),
            pause.toMillis());
      }
    }
    return true;
  }

  private void park(
      Delivery delivery,
      ChannelType channel,
      List<Attempt> attempts,
      Instant now,
      ParkReason reason,
      String note) {
    store.park(delivery, attempts, now, reason, note);
    metrics.count(channel, "parked");
    log.warn(
        "parked {} ({}) after {} attempts: {}",
        delivery.id(),
        reason.wireName(),
        attempts.size() - delivery.attemptBase(),
        note);
  }

  /** The endpoint answered: whatever it missed while it was down goes back on the schedule. */
  private void replayParked(Subscription subscription, Instant now) {
    long n = parked.replay(ParkedDeliveries.Selection.subscription(subscription.id()), true, now);
    if (n > 0) {
      metrics.count(subscription.type(), "replayed", n);
      log.info(
          "subscription {} answered again: replayed {} parked deliveries", subscription.id(), n);
    }
  }
}
