package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.jar.JarFile;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded cluster's RPC system comes from one kept copy of Flink's nested RPC jar: inflated on
 * the first run, reused by the next, replaced when damaged; nothing is left in the temporary
 * directory per run.
 */
class ClusterRpcTest {

  @TempDir Path cache;

  private static final ClassLoader FLINK = RpcSystem.class.getClassLoader();

  @Test
  void theFirstRunInflatesTheJarIntoTheCacheUnderItsCrcAndSize() throws Exception {
    Path jar = ClusterRpc.extracted(FLINK, Optional.of(cache));

    assertThat(jar.getParent()).isEqualTo(cache);
    assertThat(jar.getFileName().toString()).matches("flink-rpc-[0-9a-f]{8}-\\d+\\.jar");
    assertThat(Files.size(jar))
        .isEqualTo(
            Long.parseLong(jar.getFileName().toString().replaceAll(".*-(\\d+)\\.jar", "$1")));
    try (JarFile opened = new JarFile(jar.toFile())) {
      assertThat(opened.getEntry("META-INF/services/org.apache.flink.runtime.rpc.RpcSystem"))
          .isNotNull();
    }
    try (var files = Files.list(cache)) {
      assertThat(files).containsExactly(jar);
    }
  }

  @Test
  void laterRunsReuseTheKeptCopy() throws Exception {
    Path first = ClusterRpc.extracted(FLINK, Optional.of(cache));
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(first, old);

    Path second = ClusterRpc.extracted(FLINK, Optional.of(cache));

    assertThat(second).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(second)).isEqualTo(old);
  }

  @Test
  void aTruncatedCopyIsInflatedAgain() throws Exception {
    Path jar = ClusterRpc.extracted(FLINK, Optional.of(cache));
    long size = Files.size(jar);
    Files.write(jar, new byte[] {1, 2, 3});

    Path again = ClusterRpc.extracted(FLINK, Optional.of(cache));

    assertThat(again).isEqualTo(jar);
    assertThat(Files.size(again)).isEqualTo(size);
  }

  @Test
  void anUnwritableCacheFallsBackToATemporaryCopy() throws Exception {
    Path notADirectory = Files.writeString(cache.resolve("file"), "x");

    Path jar = ClusterRpc.extracted(FLINK, Optional.of(notADirectory.resolve("vigil")));

    assertThat(jar).isRegularFile();
    assertThat(jar.getFileName().toString()).startsWith("vigil-flink-rpc-");
    Files.delete(jar);
  }

  @Test
  void withTheJarOnTheClassPathTheSystemComesFromThere() throws Exception {
    assertThat(ClusterRpc.onClassPath(FLINK)).as("not on the tests' class path").isEmpty();
    Path jar = ClusterRpc.extracted(FLINK, Optional.of(cache));
    Configuration config = new Configuration();

    try (java.net.URLClassLoader classPath =
        new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, FLINK)) {
      RpcSystem system = ClusterRpc.onClassPath(classPath).orElseThrow();

      assertThat(system.getClass().getName()).isEqualTo(ClusterRpc.PEKKO_RPC_SYSTEM);
      assertThat(system.getClass().getClassLoader()).isSameAs(classPath);
      assertThat(system.getMaximumMessageSizeInBytes(config)).isPositive();
    }
  }

  @Test
  void theLoadedSystemWorksAndClosesItsClassLoader() throws Exception {
    Configuration config = new Configuration();
    try (RpcSystem system = ClusterRpc.load(config, Optional.of(cache))) {
      assertThat(system.getMaximumMessageSizeInBytes(config)).isPositive();
      assertThat(system.getClass().getName()).contains("ClusterRpc");
    }
    try (var files = Files.list(cache)) {
      assertThat(files).hasSize(1);
    }
  }
}
