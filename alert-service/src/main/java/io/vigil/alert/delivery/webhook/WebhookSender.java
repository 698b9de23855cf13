package io.vigil.alert.delivery.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vigil.alert.delivery.ChannelSender;
import io.vigil.alert.delivery.Delivery;
import io.vigil.alert.delivery.Outcome;
import io.vigil.alert.egress.UnsafeUrlException;
import io.vigil.alert.egress.UrlGuard;
import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * POSTs the versioned webhook payload (docs/alerts.md, "Webhook payload v1") with the signature
 * headers. 2xx is delivered; 408, 429, 5xx and network errors are retried; any other status is a
 * permanent failure, since repeating the same request cannot change the receiver's answer.
 *
 * <p>Each call has one deadline ({@code vigil.webhook.deadline}) for connect, request, response
 * headers and body together: the client's own request timeout stops at the headers, so a receiver
 * that trickles its body would otherwise hold a worker for as long as it likes.
 */
@Component
class WebhookSender implements ChannelSender {
  static final String USER_AGENT = "vigil-alert-service/1";

  private final HttpClient http;
  private final UrlGuard guard;
  private final EndpointGuards endpoints;
  private final WebhookProperties properties;
  private final JsonMapper mapper;
  private final Clock clock;

  WebhookSender(
      UrlGuard guard,
      EndpointGuards endpoints,
      WebhookProperties properties,
      JsonMapper mapper,
      Clock clock) {
    this.guard = guard;
    this.endpoints = endpoints;
    this.properties = properties;
    this.mapper = mapper;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public ChannelType type() {
    return ChannelType.WEBHOOK;
  }

  @Override
  public String lane(Subscription subscription) {
    try {
      return endpoint(URI.create(subscription.url()));
    } catch (IllegalArgumentException unparsable) {
      // send() refuses it at once; any lane will do.
      return subscription.url();
    }
  }

  @Override
  public int laneLimit() {
    return properties.maxConcurrencyPerEndpoint();
  }

  /** The unit of the concurrency limit and the circuit breaker. */
  static String endpoint(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return uri.getScheme() + "://" + uri.getHost() + ":" + port;
  }

  @Override
  public Outcome send(Delivery delivery, Subscription subscription, int attemptNumber) {
    URI uri;
    try {
      uri = guard.check(subscription.url());
    } catch (UnsafeUrlException e) {
      return new Outcome.Permanent(0, "refused URL: " + e.getMessage());
    }
    String endpoint = endpoint(uri);
    Semaphore permits = endpoints.permits(endpoint);
    if (!permits.tryAcquire()) {
      return new Outcome.Deferred(Duration.ofMillis(100), false);
    }
    try {
      CircuitBreaker breaker = endpoints.breaker(endpoint);
      if (!breaker.tryAcquirePermission()) {
        // Not a call, so not an attempt: the delivery waits for the probe. A receiver that stays
        // dead still reaches parking, through the probes' attempts and the retry horizon.
        return new Outcome.Deferred(endpoints.untilProbe(endpoint), true);
      }
      long started = System.nanoTime();
      Outcome outcome = post(uri, delivery, subscription, attemptNumber);
      long took = System.nanoTime() - started;
      if (outcome instanceof Outcome.Delivered || outcome instanceof Outcome.Permanent) {
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      } else {
        breaker.onError(took, TimeUnit.NANOSECONDS, new IOException(outcome.toString()));
      }
      return outcome;
    } finally {
      permits.release();
    }
  }

  private Outcome post(URI uri, Delivery delivery, Subscription subscription, int attemptNumber) {
    Instant now = clock.instant();
    byte[] body = payload(delivery, subscription, attemptNumber, now);
    long timestamp = now.getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(properties.deadline())
            // Plain http: HTTP/1.1 straight away. The client's default (HTTP/2) would offer an
            // h2c upgrade on every new connection, which receivers ignore; https negotiates
            // HTTP/2 by ALPN as before. Connections are kept alive and reused either way.
            .version(
                "http".equalsIgnoreCase(uri.getScheme())
                    ? HttpClient.Version.HTTP_1_1
                    : HttpClient.Version.HTTP_2)
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header("Idempotency-Key", delivery.idempotencyKey())
            .header("Vigil-Delivery-Id", delivery.id())
            .header("Vigil-Attempt", Integer.toString(attemptNumber))
            .header("Vigil-Timestamp", Long.toString(timestamp))
            .header(
                "Vigil-Signature", WebhookSignature.sign(subscription.secret(), timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    CompletableFuture<HttpResponse<Void>> call =
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      HttpResponse<Void> response =
          call.get(properties.deadline().toMillis(), TimeUnit.MILLISECONDS);
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Outcome.Delivered(status);
      }
      if (status == 408 || status == 429 || status >= 500) {
        return new Outcome.Retryable(
            status,
            "HTTP " + status,
            response.headers().firstValue("Retry-After").flatMap(v -> retryAfter(v, now)));
      }
      return new Outcome.Permanent(status, "HTTP " + status + " (not retried)");
    } catch (TimeoutException e) {
      // Cancelling the future aborts the exchange and closes its connection.
      call.cancel(true);
      return new Outcome.Retryable(
          0, "deadline of " + properties.deadline().toMillis() + " ms passed", Optional.empty());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Outcome.Retryable(
          0, cause.getClass().getSimpleName() + ": " + cause.getMessage(), Optional.empty());
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return new Outcome.Retryable(0, "interrupted at shutdown", Optional.empty());
    }
  }

  /**
   * The v1 payload. {@code alerts} is spliced in as stored (it is already canonical JSON written by
   * this service) rather than parsed and written again, which was the most expensive step per
   * delivery; the field order is unchanged, {@code alerts} last.
   */
  byte[] payload(Delivery delivery, Subscription subscription, int attemptNumber, Instant now) {
    ObjectNode root = mapper.createObjectNode();
    root.put("version", 1);
    root.put("deliveryId", delivery.id());
    root.put("subscriptionId", subscription.id());
    root.put("subscriptionName", subscription.name());
    root.put("attempt", attemptNumber);
    root.put("sentAt", now.toString());
    root.put("suppressed", delivery.suppressed());
    String head = mapper.writeValueAsString(root);
    String body =
        head.substring(0, head.length() - 1) + ",\"alerts\":" + delivery.alertsJson() + "}";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
  static Optional<Duration> retryAfter(String value, Instant now) {
    String v = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
