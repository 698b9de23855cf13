package io.vigil.alert.delivery;

/**
 * Published when deliveries were put on the schedule due now, so that this instance's {@link
 * DeliveryWorker} claims them at once instead of at its next poll tick (half the poll interval of
 * latency on average, a whole one at worst). Other instances still find them at their next poll.
 *
 * @param count how many deliveries were scheduled
 */
public record DeliveriesScheduled(int count) {}
