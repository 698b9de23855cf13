package io.vigil.alert.subscription;

import io.vigil.alert.egress.UrlGuard;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Creates and changes subscriptions; refuses webhook URLs that point inside the network. */
@Service
public class SubscriptionService {
  private final SubscriptionStore store;
  private final UrlGuard urlGuard;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public SubscriptionService(SubscriptionStore store, UrlGuard urlGuard, Clock clock) {
    this.store = store;
    this.urlGuard = urlGuard;
    this.clock = clock;
  }

  public CreatedSubscription create(SubscriptionRequest request) {
    byte[] idBytes = new byte[8];
    random.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    Optional<String> generated = Optional.empty();
    String secret = "";
    if (request.type() == ChannelType.WEBHOOK) {
      if (request.secret() == null) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        generated = Optional.of(secret);
      } else {
        secret = request.secret();
      }
    }
    Instant now = clock.instant();
    Subscription subscription = build(id, request, secret, now, now);
    store.save(subscription);
    return new CreatedSubscription(SubscriptionView.of(subscription), generated);
  }

  public SubscriptionView replace(String id, SubscriptionRequest request) {
    Subscription old = store.find(id).orElseThrow(() -> new SubscriptionNotFoundException(id));
    String secret =
        request.type() != ChannelType.WEBHOOK
            ? ""
            : request.secret() != null ? request.secret() : old.secret();
    if (request.type() == ChannelType.WEBHOOK && secret.isEmpty()) {
      throw new IllegalArgumentException("a webhook subscription needs a secret");
    }
    Subscription updated = build(id, request, secret, old.createdAt(), clock.instant());
    store.save(updated);
    return SubscriptionView.of(updated);
  }

  public List<SubscriptionView> list() {
    return store.all().stream().map(SubscriptionView::of).toList();
  }

  public SubscriptionView get(String id) {
    return store
        .find(id)
        .map(SubscriptionView::of)
        .orElseThrow(() -> new SubscriptionNotFoundException(id));
  }

  public void delete(String id) {
    if (!store.delete(id)) {
      throw new SubscriptionNotFoundException(id);
    }
  }

  private Subscription build(
      String id, SubscriptionRequest r, String secret, Instant created, Instant updated) {
    String url = "";
    if (r.type() == ChannelType.WEBHOOK) {
      urlGuard.check(r.url());
      url = r.url();
    }
    return new Subscription(
        id,
        r.name(),
        r.type(),
        r.enabled(),
        r.match(),
        r.minSeverity(),
        url,
        secret,
        r.type() == ChannelType.EMAIL ? r.to() : List.of(),
        r.grouping(),
        r.throttle(),
        created,
        updated);
  }
}
