package io.vigil.alert.delivery;

import io.vigil.alert.routing.RoutingSnapshot;
import io.vigil.alert.routing.RoutingTable;
import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the delivery schedule: polls Redis for due deliveries and closed groups, and sends each
 * delivery on a worker pool. A claim loads the deliveries in the same script, and subscriptions
 * come from the cached {@link RoutingTable} (one version check per poll), so a delivery costs the
 * claim (shared by the batch), the send and one finish script.
 *
 * <p>Claimed deliveries go to their lane ({@link ChannelSender#lane}, e.g. a webhook endpoint): at
 * most {@code laneLimit} run at once per lane and as many again wait in memory; a worker that
 * finishes one takes the next waiting one of the same lane. Only when a lane's queue is full is a
 * claimed delivery put back on the schedule (one batched command). A slow or dead lane therefore
 * holds at most twice its limit of the {@code worker-threads} claimed deliveries, and the others
 * keep flowing. The claim size adapts: after a poll that had to put deliveries back it shrinks to
 * what was taken, then doubles again, so a single saturated endpoint does not churn the schedule.
 *
 * <p>On shutdown it stops claiming and waits (up to the shutdown timeout) for deliveries in flight;
 * anything it could not finish is still in the Redis schedule and is taken up after the lease.
 */
@Component
public class DeliveryWorker implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final DeliveryStore store;
  private final RoutingTable routing;
  private final Map<ChannelType, ChannelSender> senders = new EnumMap<>(ChannelType.class);
  private final DeliveryProperties properties;
  private final Clock clock;
  private final DeliveryOutcomes outcomes;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pollQueued = new AtomicBoolean();
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final long maxWaitNanos;

  /** Deliveries to claim at most per poll; touched by the poller thread only. */
  private int claimSize;

  private volatile ThreadPoolExecutor workers;
  private volatile ScheduledExecutorService poller;

  public DeliveryWorker(
      DeliveryStore store,
      DeliveryOutcomes outcomes,
      RoutingTable routing,
      List<ChannelSender> senders,
      DeliveryProperties properties,
      Clock clock) {
    this.store = store;
    this.outcomes = outcomes;
    this.routing = routing;
    senders.forEach(s -> this.senders.put(s.type(), s));
    this.properties = properties;
    this.clock = clock;
    // A delivery waiting in a lane longer than this goes back to the schedule unsent: its lease
    // must not run out while it waits, or another poll could claim and send it a second time.
    this.maxWaitNanos = properties.lease().toNanos() / 2;
    this.claimSize = properties.workerThreads();
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

  /** Deliveries just became due: claim them now rather than at the next poll tick. */
  @EventListener
  public void onScheduled(DeliveriesScheduled scheduled) {
    if (scheduled.count() > 0) {
      pollSoon();
    }
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
    List<DeliveryStore.Claimed> claimed = store.claimDue(now, Math.min(free, claimSize));
    if (claimed.isEmpty()) {
      claimSize = properties.workerThreads();
      return;
    }
    // After the claim: a subscription created before a delivery was scheduled is in this snapshot.
    RoutingSnapshot routes = routing.current();
    List<String> putBack = new ArrayList<>();
    for (DeliveryStore.Claimed c : claimed) {
      if (!inFlight.add(c.id())) {
        continue; // still running here from an earlier claim whose lease ran out
      }
      if (c.delivery().isEmpty()) {
        store.forget(c.id());
        inFlight.remove(c.id());
        continue;
      }
      Delivery delivery = c.delivery().get();
      Optional<Subscription> subscription = routes.subscription(delivery.subscriptionId());
      if (subscription.isEmpty()) {
        log.info(
            "dropping delivery {}: subscription {} was deleted", c.id(), delivery.subscriptionId());
        store.forget(c.id());
        inFlight.remove(c.id());
        continue;
      }
      ChannelSender sender = senders.get(subscription.get().type());
      Lane lane =
          lanes.computeIfAbsent(sender.lane(subscription.get()), k -> new Lane(sender.laneLimit()));
      Job job = new Job(delivery, subscription.get(), sender, lane, System.nanoTime());
      if (!lane.offer(job)) {
        putBack.add(c.id());
        inFlight.remove(c.id());
      }
    }
    store.defer(putBack, now.plus(DEFER));
    claimSize =
        putBack.isEmpty()
            ? Math.min(properties.workerThreads(), claimSize * 2)
            : Math.max(1, claimed.size() - putBack.size());
  }

  private static final Duration DEFER = Duration.ofMillis(100);

  /** A claimed delivery with what it needs to be sent. */
  private record Job(
      Delivery delivery,
      Subscription subscription,
      ChannelSender sender,
      Lane lane,
      long claimedAt) {}

  /** Deliveries sharing one endpoint: a running count bounded by the limit and a short queue. */
  private final class Lane {
    private final int limit;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private int running;

    Lane(int limit) {
      this.limit = limit;
    }

    /** Starts the job, queues it, or returns false if the lane is full. */
    boolean offer(Job job) {
      synchronized (this) {
        if (running >= limit) {
          if (waiting.size() >= Math.min(limit, properties.workerThreads())) {
            return false;
          }
          waiting.add(job);
          return true;
        }
        running++;
      }
      try {
        workers.execute(() -> runLane(job));
      } catch (RejectedExecutionException shuttingDown) {
        synchronized (this) {
          running--;
        }
        return false;
      }
      return true;
    }

    /** True when at most half of the queue is left: time to claim more. */
    synchronized boolean wantsMore() {
      return waiting.size() <= limit / 2;
    }

    /** The next waiting job, or null after giving the running slot back. */
    synchronized Job next() {
      Job next = waiting.poll();
      if (next == null) {
        running--;
      }
      return next;
    }
  }

  /**
   * Runs a job, then the lane's waiting jobs one after another on this same thread: no hand-off,
   * and a graceful shutdown (which waits for the pool's threads) finishes them too.
   */
  private void runLane(Job first) {
    Job job = first;
    while (job != null) {
      String id = job.delivery().id();
      boolean progressed = true;
      try {
        if (System.nanoTime() - job.claimedAt() > maxWaitNanos) {
          store.defer(List.of(id), clock.instant());
          progressed = false;
        } else {
          progressed = attempt(job);
        }
      } catch (RuntimeException e) {
        log.error("delivery {} failed unexpectedly; due again after the lease", id, e);
      } finally {
        inFlight.remove(id);
        // Not after a deferral: with a backlog for one saturated endpoint, polling again
        // at once would only claim and defer the next deliveries in a tight loop. Nor while
        // this lane still has work queued: the claim would mostly be put back (other lanes
        // refill on their own completions and on the poll tick).
        if (progressed && job.lane().wantsMore()) {
          pollSoon();
        }
      }
      job = job.lane().next();
    }
  }

  /**
   * Returns false if the delivery was only deferred (its endpoint was busy or its circuit open).
   */
  private boolean attempt(Job job) {
    Delivery delivery = job.delivery();
    int number = delivery.nextAttemptNumber();
    MDC.put("deliveryId", delivery.id());
    MDC.put("alertId", delivery.idempotencyKey());
    try {
      Instant started = clock.instant();
      Outcome outcome = send(job, number);
      return outcomes.record(
          delivery, job.subscription(), number, started, clock.instant(), outcome);
    } finally {
      MDC.remove("deliveryId");
      MDC.remove("alertId");
    }
  }

  /**
   * The channel's answer; a sender that throws (a bug, a template that does not render) spends an
   * attempt like any other failure, so that the delivery still reaches parking.
   */
  private Outcome send(Job job, int number) {
    try {
      return job.sender().send(job.delivery(), job.subscription(), number);
    } catch (RuntimeException e) {
      log.warn("sender failed on delivery {}", job.delivery().id(), e);
      return new Outcome.Retryable(0, "internal error: " + e, Optional.empty());
    }
  }
}
