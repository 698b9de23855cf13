package io.vigil.alert.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.alert.subscription.ChannelType;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Delivery meters, per channel: {@code vigil_deliveries_total{channel,outcome}} with outcome
 * delivered|retried|failed|parked|deferred (circuit open, not sent)|replayed, {@code
 * vigil_delivery_attempt_seconds{channel}} (one attempt), {@code
 * vigil_delivery_latency_seconds{channel}} (scheduled → delivered), and the gauges {@code
 * vigil_deliveries_due} and {@code vigil_deliveries_parked}.
 */
@Component
public class DeliveryMetrics {
  private final MeterRegistry registry;

  public DeliveryMetrics(MeterRegistry registry, DeliveryStore store, ParkedDeliveries parked) {
    this.registry = registry;
    Gauge.builder("vigil.deliveries.due", store, DeliveryStore::dueCount)
        .description("deliveries waiting in the retry schedule")
        .register(registry);
    Gauge.builder("vigil.deliveries.parked", parked, ParkedDeliveries::count)
        .description("deliveries parked after their last attempt")
        .register(registry);
  }

  public void count(ChannelType channel, String outcome) {
    Counter.builder("vigil.deliveries")
        .tag("channel", channel.wireName())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void count(ChannelType channel, String outcome, long n) {
    Counter.builder("vigil.deliveries")
        .tag("channel", channel.wireName())
        .tag("outcome", outcome)
        .register(registry)
        .increment(n);
  }

  public void attempt(ChannelType channel, Duration duration) {
    Timer.builder("vigil.delivery.attempt")
        .tag("channel", channel.wireName())
        .register(registry)
        .record(duration);
  }

  public void latency(ChannelType channel, Duration duration) {
    Timer.builder("vigil.delivery.latency")
        .tag("channel", channel.wireName())
        .register(registry)
        .record(duration);
  }
}
