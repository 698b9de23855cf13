package io.vigil.alert.delivery;

import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;

/** Sends one delivery over one kind of channel. Implementations must not throw. */
public interface ChannelSender {
  ChannelType type();

  Outcome send(Delivery delivery, Subscription subscription, int attemptNumber);
}
