package io.vigil.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver (JDK HttpServer on a free loopback port) that verifies each request's
 * signature the way docs/alerts.md tells receivers to, and answers with a status chosen per request
 * number. It records every request it saw.
 */
public final class WebhookReceiver implements AutoCloseable {
  public record Received(
      int number,
      Instant at,
      String body,
      String idempotencyKey,
      String deliveryId,
      int attempt,
      boolean signatureValid,
      int answeredStatus) {}

  private final HttpServer server;
  private final String secret;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile IntFunction<Integer> statusForRequest;
  private volatile Map<String, String> extraHeaders = Map.of();
  private volatile Duration delay = Duration.ZERO;
  private volatile Duration trickle = Duration.ZERO;
  private final AtomicInteger cutOff = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger maxActive = new AtomicInteger();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
          });

  public WebhookReceiver(String secret, IntFunction<Integer> statusForRequest) throws IOException {
    this.secret = secret;
    this.statusForRequest = statusForRequest;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          started.incrementAndGet();
          maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
          byte[] body;
          try {
            body = exchange.getRequestBody().readAllBytes();
            sleep(delay);
          } finally {
            // Before the answer, so that the count never includes a request the client has
            // already seen finish.
            active.decrementAndGet();
          }
          String timestamp = exchange.getRequestHeaders().getFirst("Vigil-Timestamp");
          String signature = exchange.getRequestHeaders().getFirst("Vigil-Signature");
          boolean valid =
              timestamp != null && signature != null && verify(timestamp, body, signature);
          int n = count.incrementAndGet();
          int status = valid ? this.statusForRequest.apply(n) : 401;
          String attempt = exchange.getRequestHeaders().getFirst("Vigil-Attempt");
          received.add(
              new Received(
                  n,
                  Instant.now(),
                  new String(body, StandardCharsets.UTF_8),
                  exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                  exchange.getRequestHeaders().getFirst("Vigil-Delivery-Id"),
                  attempt == null ? 0 : Integer.parseInt(attempt),
                  valid,
                  status));
          extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          Duration pace = trickle;
          if (pace.isZero()) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
          }
          // Headers at once, then a chunked body one byte at a time, never finished: only the
          // caller's deadline can end it.
          exchange.sendResponseHeaders(status, 0);
          try (var out = exchange.getResponseBody()) {
            while (true) {
              out.write('.');
              out.flush();
              sleep(pace);
              if (Thread.currentThread().isInterrupted()) {
                return;
              }
            }
          } catch (IOException closedByCaller) {
            cutOff.incrementAndGet();
          } finally {
            exchange.close();
          }
        });
    // Several handler threads, like a real receiver: the service sends up to its per-endpoint
    // concurrency at once, and a slow request must not hold back the next one.
    server.setExecutor(executor);
    server.start();
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The receiver side of the documented check: HMAC-SHA256(secret, timestamp + "." + body). */
  private boolean verify(String timestamp, byte[] body, String signature) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
      return java.security.MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      return false;
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> accepted() {
    return received.stream().filter(r -> r.answeredStatus() / 100 == 2).toList();
  }

  public void answer(IntFunction<Integer> statusForRequest) {
    this.statusForRequest = statusForRequest;
  }

  /** Every later request is answered only after this pause (a slow receiver). */
  public void delay(Duration delay) {
    this.delay = delay;
  }

  /**
   * Every later answer sends its headers at once and then trickles its body, one byte per {@code
   * pace}, without end (a receiver that never finishes its answer).
   */
  public void trickle(Duration pace) {
    this.trickle = pace;
  }

  /** Trickled answers whose connection the caller closed. */
  public int cutOff() {
    return cutOff.get();
  }

  /** The most requests this receiver was handling at the same time. */
  public int maxConcurrent() {
    return maxActive.get();
  }

  /** Requests whose handling has begun, answered or not. */
  public int started() {
    return started.get();
  }

  /**
   * What a receiver that deduplicates on {@code Idempotency-Key} keeps: the first accepted request
   * per key. Later accepted requests with the same key are the at-least-once duplicates.
   */
  public Map<String, Received> effects() {
    Map<String, Received> first = new LinkedHashMap<>();
    for (Received r : accepted()) {
      first.putIfAbsent(r.idempotencyKey(), r);
    }
    return first;
  }

  public void headers(Map<String, String> headers) {
    this.extraHeaders = Map.copyOf(headers);
  }

  @Override
  public void close() {
    // Lets answers already decided reach the service (a request is recorded just before its
    // answer is written, so a test that closes the receiver as soon as it sees a request accepted
    // would otherwise cut that answer off); waits only while an exchange is still open.
    server.stop(1);
    executor.shutdownNow();
  }
}
