package io.vigil.console;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver: a JDK HTTP server on a free loopback port that records every body it is sent
 * on {@code /hook} and answers with the status it is told to.
 */
public final class HttpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private volatile int status;

  public HttpReceiver(int status) throws IOException {
    this.status = status;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(this.status, -1);
          exchange.close();
        });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  public List<String> bodies() {
    return List.copyOf(bodies);
  }

  public void answer(int status) {
    this.status = status;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
