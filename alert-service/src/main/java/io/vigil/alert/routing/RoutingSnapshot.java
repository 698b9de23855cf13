package io.vigil.alert.routing;

import io.vigil.alert.model.Alert;
import io.vigil.alert.silence.Silence;
import io.vigil.alert.subscription.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Subscriptions and silences as of one {@code vigil:config:version}, parsed once and shared by
 * every alert of a batch and every delivery of a poll.
 *
 * @param version the value of {@code vigil:config:version} these were read with
 * @param subscriptions every subscription (enabled or not) by id
 * @param loadedAtNanos {@link System#nanoTime()} of the load, for the max-age check
 */
public record RoutingSnapshot(
    String version,
    Map<String, Subscription> subscriptions,
    List<Silence> silences,
    long loadedAtNanos) {

  public RoutingSnapshot {
    subscriptions = Map.copyOf(subscriptions);
    silences = List.copyOf(silences);
  }

  public Optional<Subscription> subscription(String id) {
    return Optional.ofNullable(subscriptions.get(id));
  }

  /** The enabled subscriptions whose filters select the alert, in a stable (id) order. */
  public List<Subscription> wanting(Alert alert) {
    return subscriptions.values().stream()
        .filter(s -> s.wants(alert))
        .sorted((a, b) -> a.id().compareTo(b.id()))
        .toList();
  }

  public boolean silenced(Alert alert, Instant now) {
    for (Silence s : silences) {
      if (s.mutes(alert, now)) {
        return true;
      }
    }
    return false;
  }
}
