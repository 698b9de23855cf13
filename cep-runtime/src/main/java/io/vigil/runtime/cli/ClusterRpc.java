package io.vigil.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.zip.ZipEntry;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC system of the embedded cluster: from the class path when the jar beside {@code vigil.jar}
 * is on it ({@link #onClassPath}), else from a copy of Flink's RPC jar kept between runs.
 *
 * <p>Flink ships its Pekko-based RPC system as a jar inside its own jar ({@code
 * flink-rpc-akka.jar}, 21 MB) and loads it in a class loader of its own. Its loader inflates that
 * jar into the temporary directory at every cluster start, which costs the start about a tenth of a
 * second, and deletes the copy only when the RPC system is closed: a command line run that exits
 * once its output is written leaves 21 MB behind in {@code /tmp} every time. Here the jar is
 * inflated once into {@code $XDG_CACHE_HOME/vigil} (else {@code ~/.cache/vigil}) under a name made
 * of the entry's CRC and size, so another Flink build gets another file, and is reused. Where that
 * directory cannot be written, the copy is a temporary file deleted when the JVM exits; where
 * anything else fails, Flink's own loader takes over.
 */
final class ClusterRpc {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRpc.class);

  /** The nested jar's name inside Flink's jar. */
  static final String RPC_JAR = "flink-rpc-akka.jar";

  /** The RPC system's class in that jar. */
  static final String PEKKO_RPC_SYSTEM = "org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem";

  private ClusterRpc() {}

  /** The RPC system for a cluster configured by {@code config}. */
  static RpcSystem load(Configuration config) {
    return load(config, defaultCacheDirectory());
  }

  /** As {@link #load(Configuration)}, the jar kept in {@code cacheDirectory} when present. */
  static RpcSystem load(Configuration config, Optional<Path> cacheDirectory) {
    ClassLoader flink = RpcSystem.class.getClassLoader();
    Optional<RpcSystem> onClassPath = onClassPath(flink);
    if (onClassPath.isPresent()) {
      return onClassPath.get();
    }
    try {
      Path jar = extracted(flink, cacheDirectory);
      SubmoduleClassLoader loader =
          new SubmoduleClassLoader(new URL[] {jar.toUri().toURL()}, flink);
      Iterator<RpcSystem> systems = ServiceLoader.load(RpcSystem.class, loader).iterator();
      if (systems.hasNext()) {
        return new Closing(systems.next(), loader);
      }
      loader.close();
      LOG.debug("{} has no RPC system; Flink's loader takes over", jar);
    } catch (IOException | RuntimeException | ServiceConfigurationError e) {
      LOG.debug("Flink's RPC jar could not be kept; Flink's loader takes over", e);
    }
    return RpcSystem.load(config);
  }

  /**
   * The RPC system, when its jar is on the class path itself: {@code vigil.jar} names the copy the
   * build puts beside it in its manifest ({@code Class-Path: flink-rpc-akka.jar}). Its classes are
   * then the application's, which the class data archive holds, where a class loader of their own
   * would read and define each of them again at every start (a third of a second of the cluster's).
   * Vigil itself has no Scala or Pekko classes for them to clash with.
   */
  static Optional<RpcSystem> onClassPath(ClassLoader loader) {
    try {
      Class<?> system = Class.forName(PEKKO_RPC_SYSTEM, true, loader);
      return Optional.of((RpcSystem) system.getConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The cache directory of the user's Vigil files, if the environment names one. */
  static Optional<Path> defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Optional.of(Path.of(xdg, "vigil"));
    }
    String home = System.getProperty("user.home");
    return home == null || home.isBlank() || home.equals("?")
        ? Optional.empty()
        : Optional.of(Path.of(home, ".cache", "vigil"));
  }

  /**
   * The nested RPC jar as a file: the kept copy in {@code cacheDirectory} (inflated now if missing
   * or of the wrong size), or a temporary copy deleted at exit.
   */
  static Path extracted(ClassLoader flink, Optional<Path> cacheDirectory) throws IOException {
    URL resource = flink.getResource(RPC_JAR);
    if (resource == null) {
      throw new IOException(RPC_JAR + " is not on the class path");
    }
    URLConnection connection = resource.openConnection();
    connection.setUseCaches(false);
    if (connection instanceof JarURLConnection jarConnection && cacheDirectory.isPresent()) {
      ZipEntry entry = jarConnection.getJarEntry();
      if (entry != null && entry.getSize() > 0 && entry.getCrc() >= 0) {
        Path kept =
            cacheDirectory
                .get()
                .resolve(String.format("flink-rpc-%08x-%d.jar", entry.getCrc(), entry.getSize()));
        try {
          if (Files.isRegularFile(kept) && Files.size(kept) == entry.getSize()) {
            return kept;
          }
          Files.createDirectories(kept.getParent());
          Path partial = Files.createTempFile(kept.getParent(), "flink-rpc-", ".partial");
          try {
            copy(resource, partial);
            // Atomic: a concurrent run sees the whole file or none.
            Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(partial);
          }
          return kept;
        } catch (IOException e) {
          LOG.debug("cannot keep {} in {}: {}", RPC_JAR, kept.getParent(), e.toString());
        }
      }
    }
    Path temporary = Files.createTempFile("vigil-flink-rpc-", ".jar");
    temporary.toFile().deleteOnExit();
    copy(resource, temporary);
    return temporary;
  }

  private static void copy(URL resource, Path target) throws IOException {
    URLConnection connection = resource.openConnection();
    connection.setUseCaches(false);
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The loaded RPC system, which closes its class loader with it (the jar stays for next time). */
  private static final class Closing implements RpcSystem {
    private final RpcSystem system;
    private final SubmoduleClassLoader loader;

    Closing(RpcSystem system, SubmoduleClassLoader loader) {
      this.system = system;
      this.loader = loader;
    }

    @Override
    public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
      return system.localServiceBuilder(configuration);
    }

    @Override
    public RpcServiceBuilder remoteServiceBuilder(
        Configuration configuration, String externalAddress, String externalPortRange) {
      return system.remoteServiceBuilder(configuration, externalAddress, externalPortRange);
    }

    @Override
    public String getRpcUrl(
        String hostname,
        int port,
        String endpointName,
        AddressResolution addressResolution,
        Configuration config)
        throws UnknownHostException {
      return system.getRpcUrl(hostname, port, endpointName, addressResolution, config);
    }

    @Override
    public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
      return system.getInetSocketAddressFromRpcUrl(url);
    }

    @Override
    public long getMaximumMessageSizeInBytes(Configuration config) {
      return system.getMaximumMessageSizeInBytes(config);
    }

    @Override
    public void close() {
      try {
        system.close();
      } finally {
        try {
          loader.close();
        } catch (IOException e) {
          LOG.debug("closing the RPC system's class loader: {}", e.toString());
        }
      }
    }
  }
}
