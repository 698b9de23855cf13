package io.vigil.alert.delivery;

import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;

/** Sends one delivery over one kind of channel. Implementations must not throw. */
public interface ChannelSender {
  ChannelType type();

  Outcome send(Delivery delivery, Subscription subscription, int attemptNumber);

  /**
   * The shared resource a delivery to this subscription occupies (a webhook endpoint
   * scheme://host:port, the SMTP server). The worker runs at most {@link #laneLimit()} deliveries
   * per lane at once and queues a few more in memory, so that a slow lane holds a bounded part of
   * the workers and a saturated lane does not cost a Redis round trip per refused delivery.
   */
  String lane(Subscription subscription);

  int laneLimit();
}
