package io.vigil.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server 7 process (the binary shipped by org.signal:embedded-redis) on a free port,
 * started once per test JVM and stopped when it exits.
 */
public final class RealRedis {

  public final int port;
  private final RedisServer server;

  private RealRedis(int port, RedisServer server) {
    this.port = port;
    this.server = server;
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
  }

  private static RealRedis start() {
    // A free port can be taken by another process before redis-server binds it: try a few.
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      RedisServer server =
          RedisServer.builder()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .build();
      try {
        server.start();
        return new RealRedis(port, server);
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  private static final class Holder {
    static final RealRedis INSTANCE = start();
  }

  public static RealRedis get() {
    return Holder.INSTANCE;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
