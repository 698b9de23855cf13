package io.vigil.alert.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Inspect deliveries and replay parked ones, one by one or in bulk. */
@RestController
@RequestMapping("/api/deliveries")
class DeliveryController {
  private final DeliveryStore store;
  private final ParkedDeliveries parked;
  private final Clock clock;

  DeliveryController(DeliveryStore store, ParkedDeliveries parked, Clock clock) {
    this.store = store;
    this.parked = parked;
    this.clock = clock;
  }

  @GetMapping("/parked")
  List<Delivery> parked(
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam Optional<String> subscriptionId) {
    return parked.list(subscriptionId, Math.max(1, Math.min(limit, 1000)));
  }

  /**
   * Replays every parked delivery that matches: of one subscription, parked in [from, to] (ISO-8601
   * instants), or both; with no parameter, every parked delivery.
   */
  @PostMapping("/parked/replay")
  ResponseEntity<Map<String, Long>> replayParked(
      @RequestParam Optional<String> subscriptionId,
      @RequestParam Optional<Instant> from,
      @RequestParam Optional<Instant> to) {
    if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
      throw new IllegalArgumentException("from must not be after to");
    }
    long n =
        parked.replay(
            new ParkedDeliveries.Selection(subscriptionId, from, to), false, clock.instant());
    return ResponseEntity.accepted().body(Map.of("replayed", n));
  }

  @GetMapping("/{id}")
  ResponseEntity<Delivery> get(@PathVariable String id) {
    return ResponseEntity.of(store.load(id));
  }

  @PostMapping("/{id}/replay")
  ResponseEntity<Void> replay(@PathVariable String id) {
    return parked.replay(id, clock.instant())
        ? ResponseEntity.accepted().build()
        : ResponseEntity.notFound().build();
  }
}
