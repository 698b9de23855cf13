package io.vigil.alert.delivery;

import java.time.Clock;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Inspect deliveries and replay parked ones. */
@RestController
@RequestMapping("/api/deliveries")
class DeliveryController {
  private final DeliveryStore store;
  private final Clock clock;

  DeliveryController(DeliveryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @GetMapping("/parked")
  List<Delivery> parked(@RequestParam(defaultValue = "100") int limit) {
    return store.parked(Math.max(1, Math.min(limit, 1000)));
  }

  @GetMapping("/{id}")
  ResponseEntity<Delivery> get(@PathVariable String id) {
    return ResponseEntity.of(store.load(id));
  }

  @PostMapping("/{id}/replay")
  ResponseEntity<Void> replay(@PathVariable String id) {
    return store.replay(id, clock.instant())
        ? ResponseEntity.accepted().build()
        : ResponseEntity.notFound().build();
  }
}
