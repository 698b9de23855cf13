package io.vigil.samples.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a customer's endpoint does with Vigil's webhooks: verify the HMAC signature over {@code
 * timestamp.body}, and deduplicate on {@code Idempotency-Key}. The demo prints what it receives.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One received delivery: whether its signature verified and whether it was a repeat. */
  public record Receipt(
      String idempotencyKey, boolean signatureValid, boolean duplicate, String body) {}

  private final HttpServer server;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger received = new AtomicInteger();
  private volatile byte[] secret = new byte[0];

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start(int port, Consumer<Receipt> onReceipt) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    WebhookReceiver receiver = new WebhookReceiver(server);
    server.createContext(
        "/hooks/vigil",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
          String timestamp = exchange.getRequestHeaders().getFirst("Vigil-Timestamp");
          String signature = exchange.getRequestHeaders().getFirst("Vigil-Signature");
          boolean valid = receiver.verify(timestamp, body, signature);
          boolean duplicate = key != null && !receiver.seen.add(key);
          receiver.received.incrementAndGet();
          onReceipt.accept(
              new Receipt(
                  key == null ? "" : key,
                  valid,
                  duplicate,
                  new String(body, StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(valid ? 204 : 401, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return receiver;
  }

  /** The subscription's secret, known once the subscription is created. */
  public void secret(String value) {
    this.secret = value.getBytes(StandardCharsets.UTF_8);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/vigil";
  }

  public int received() {
    return received.get();
  }

  boolean verify(String timestamp, byte[] body, String signatureHeader) {
    if (timestamp == null || signatureHeader == null) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      String expected = HexFormat.of().formatHex(mac.doFinal(body));
      // The header may carry a scheme prefix such as "v1="; compare the hex part in constant time.
      String given =
          signatureHeader.contains("=")
              ? signatureHeader.substring(signatureHeader.indexOf('=') + 1)
              : signatureHeader;
      return MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
