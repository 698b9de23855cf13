package io.vigil.alert.delivery;

import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;
import io.vigil.alert.subscription.SubscriptionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the delivery schedule: polls Redis for due deliveries and closed groups, and sends each
 * delivery on a worker pool. The pool is bounded and each channel bounds concurrency per endpoint,
 * so a slow endpoint holds at most a few workers and the others keep flowing.
 *
 * <p>On shutdown it stops claiming and waits (up to the shutdown timeout) for deliveries in flight;
 * anything it could not finish is still in the Redis schedule and is taken up after the lease.
 */
@Component
public class DeliveryWorker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final DeliveryStore store;
  private final SubscriptionStore subscriptions;
  private final Map<ChannelType, ChannelSender> senders = new EnumMap<>(ChannelType.class);
  private final DeliveryProperties properties;
  private final DeliveryMetrics metrics;
  private final Clock clock;
  private final Backoff backoff;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pollQueued = new AtomicBoolean();
  private volatile ThreadPoolExecutor workers;
  private volatile ScheduledExecutorService poller;

  public DeliveryWorker(
      DeliveryStore store,
      SubscriptionStore subscriptions,
      List<ChannelSender> senders,
      DeliveryProperties properties,
      DeliveryMetrics metrics,
      Clock clock) {
    this.store = store;
    this.subscriptions = subscriptions;
    senders.forEach(s -> this.senders.put(s.type(), s));
    this.properties = properties;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = Backoff.of(properties, RandomGenerator.getDefault());
  }

  @Override
  public void start() {
    AtomicInteger n = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            properties.workerThreads(),
            properties.workerThreads(),
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            r -> new Thread(r, "delivery-" + n.incrementAndGet()));
    poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "delivery-poller"));
    poller.scheduleWithFixedDelay(
        this::pollSafely, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    poller.shutdown();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(
          properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} deliveries still in flight at shutdown; they are retried after the lease",
            inFlight.size());
      }
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers = null;
  }

  @Override
  public boolean isRunning() {
    return workers != null;
  }

  /** Stops before the web server and the Redis connections, after the Kafka listener. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }

  /**
   * A worker just became free: poll now rather than at the next tick, so that throughput is not
   * capped at worker-threads per poll interval (160/s with the defaults) when the schedule is full.
   * At most one such extra poll is queued at a time.
   */
  private void pollSoon() {
    ScheduledExecutorService p = poller;
    if (p == null || p.isShutdown() || !pollQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      p.execute(
          () -> {
            pollQueued.set(false);
            pollSafely();
          });
    } catch (RejectedExecutionException shuttingDown) {
      pollQueued.set(false);
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // Redis away: keep polling, the schedule is where it was.
      log.warn("delivery poll failed: {}", e.toString());
    }
  }

  private void poll() {
    Instant now = clock.instant();
    store.flushDueGroups(now);
    int free = properties.workerThreads() - inFlight.size();
    if (free <= 0 || workers.isShutdown()) {
      return;
    }
    for (String id : store.claimDue(now, free)) {
      if (inFlight.add(id)) {
        workers.execute(
            () -> {
              boolean progressed = true;
              try {
                progressed = attempt(id);
              } catch (RuntimeException e) {
                log.error("delivery {} failed unexpectedly; due again after the lease", id, e);
              } finally {
                inFlight.remove(id);
                // Not after a deferral: with a backlog for one saturated endpoint, polling again
                // at once would only claim and defer the next deliveries in a tight loop.
                if (progressed) {
                  pollSoon();
                }
              }
            });
      }
    }
  }

  /** Returns false if the delivery was only deferred (its endpoint was at its concurrency cap). */
  private boolean attempt(String id) {
    Optional<Delivery> loaded = store.load(id);
    if (loaded.isEmpty()) {
      store.forget(id);
      return true;
    }
    Delivery delivery = loaded.get();
    Optional<Subscription> subscription = subscriptions.find(delivery.subscriptionId());
    if (subscription.isEmpty()) {
      log.info("dropping delivery {}: subscription {} was deleted", id, delivery.subscriptionId());
      store.forget(id);
      return true;
    }
    ChannelType channel = subscription.get().type();
    ChannelSender sender = senders.get(channel);
    int number = delivery.nextAttemptNumber();
    MDC.put("deliveryId", id);
    MDC.put("alertId", delivery.idempotencyKey());
    try {
      Instant started = clock.instant();
      Outcome outcome = sender.send(delivery, subscription.get(), number);
      Instant ended = clock.instant();
      Duration took = Duration.between(started, ended);
      List<Attempt> attempts = new ArrayList<>(delivery.attempts());
      if (outcome instanceof Outcome.Deferred d) {
        store.finish(
            delivery, delivery.status(), delivery.attempts(), ended.plus(d.pause()), ended);
        return false;
      } else if (outcome instanceof Outcome.Delivered d) {
        attempts.add(new Attempt(attempts.size() + 1, started, d.status(), "", took.toMillis()));
        store.finish(delivery, DeliveryStatus.DELIVERED, attempts, ended, ended);
        metrics.attempt(channel, took);
        metrics.count(channel, "delivered");
        metrics.latency(channel, Duration.between(delivery.createdAt(), ended));
        log.info(
            "delivered {} to subscription {} (attempt {})", id, delivery.subscriptionId(), number);
      } else if (outcome instanceof Outcome.Permanent p) {
        attempts.add(
            new Attempt(attempts.size() + 1, started, p.status(), p.error(), took.toMillis()));
        store.finish(delivery, DeliveryStatus.PARKED, attempts, ended, ended);
        metrics.attempt(channel, took);
        metrics.count(channel, "failed");
        metrics.count(channel, "parked");
        log.warn("parked {} after a permanent failure: {}", id, p.error());
      } else if (outcome instanceof Outcome.Retryable r) {
        attempts.add(
            new Attempt(attempts.size() + 1, started, r.status(), r.error(), took.toMillis()));
        metrics.attempt(channel, took);
        metrics.count(channel, "failed");
        if (number >= properties.maxAttempts()) {
          store.finish(delivery, DeliveryStatus.PARKED, attempts, ended, ended);
          metrics.count(channel, "parked");
          log.warn("parked {} after {} attempts: {}", id, number, r.error());
        } else {
          Duration pause = backoff.after(number, r.retryAfter());
          store.finish(delivery, DeliveryStatus.RETRY, attempts, ended.plus(pause), ended);
          metrics.count(channel, "retried");
          log.info(
              "attempt {} of {} failed ({}); retry in {} ms",
              number,
              id,
              r.error(),
              pause.toMillis());
        }
      }
    } finally {
      MDC.remove("deliveryId");
      MDC.remove("alertId");
    }
    return true;
  }
}
