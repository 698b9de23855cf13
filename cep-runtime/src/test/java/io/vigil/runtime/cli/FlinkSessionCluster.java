package io.vigil.runtime.cli;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real multi-process Flink session cluster, started the way Flink's {@code start-cluster.sh} does
 * without a Flink distribution on disk: one JobManager JVM ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManager JVMs ({@code TaskManagerRunner}, with the
 * memory options that {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} computes), on a given classpath,
 * a {@code conf/config.yaml}, a {@code plugins/} directory and a log4j configuration in a working
 * directory. The JVMs' output goes to {@code jobmanager.log} and {@code taskmanager-<n>.log} there;
 * {@link #logs()} gives their tails for failure messages.
 */
final class FlinkSessionCluster implements AutoCloseable {

  /** Flink's Kryo paths reflect into the JDK on Java 17 (what Flink's scripts pass as well). */
  private static final List<String> OPENS =
      List.of(
          "java.util",
          "java.lang",
          "java.lang.invoke",
          "java.net",
          "java.io",
          "java.nio",
          "sun.nio.ch",
          "java.time",
          "java.util.concurrent",
          "java.util.concurrent.atomic",
          "java.lang.reflect",
          "java.text",
          "java.math");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String classpath;
  private final int restPort;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private CompletableFuture<Void> taskManagerLaunch = CompletableFuture.completedFuture(null);
  private int taskManagers;

  private FlinkSessionCluster(Path dir, String classpath, int restPort) {
    this.dir = dir;
    this.classpath = classpath;
    this.restPort = restPort;
  }

  /**
   * Starts the JobManager, and the TaskManagers in the background, and returns at once; {@link
   * #awaitTaskManagers()} waits until they have registered their slots.
   *
   * @param dir working directory: configuration, plugins and logs
   * @param classpath the classpath of all the JVMs
   * @param taskManagers how many TaskManager JVMs
   * @param configuration Flink settings for every JVM (at least {@code
   *     taskmanager.numberOfTaskSlots}); they win over the local addresses and memory set here
   * @param plugins Flink plugins by name (a directory {@code plugins/<name>/} each, as in a Flink
   *     distribution), each a jar
   */
  static FlinkSessionCluster start(
      Path dir,
      String classpath,
      int taskManagers,
      Map<String, String> configuration,
      Map<String, Path> plugins)
      throws Exception {
    FlinkSessionCluster cluster = new FlinkSessionCluster(dir, classpath, freePort());
    try {
      for (Map.Entry<String, Path> plugin : plugins.entrySet()) {
        Path pluginDir = Files.createDirectories(dir.resolve("plugins").resolve(plugin.getKey()));
        Files.copy(plugin.getValue(), pluginDir.resolve(plugin.getValue().getFileName()));
      }
      Path conf = cluster.configure(configuration);
      cluster.java(
          "jobmanager",
          List.of("-Xmx768m"),
          "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          List.of("--configDir", conf.toString()));
      cluster.taskManagers = taskManagers;
      cluster.taskManagerLaunch =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < taskManagers; i++) {
                    cluster.launchTaskManager(conf, i);
                  }
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private Path configure(Map<String, String> configuration) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobmanager.rpc.address", "localhost");
    settings.put("jobmanager.rpc.port", Integer.toString(freePort()));
    settings.put("jobmanager.bind-host", "localhost");
    settings.put("rest.address", "localhost");
    settings.put("rest.bind-address", "localhost");
    settings.put("rest.port", Integer.toString(restPort));
    settings.put("taskmanager.host", "localhost");
    settings.put("taskmanager.bind-host", "localhost");
    // Every JVM on one small machine, not one pod each: small TaskManagers.
    settings.put("taskmanager.memory.process.size", "1600m");
    settings.put("taskmanager.memory.managed.fraction", "0.1");
    settings.put("taskmanager.memory.jvm-metaspace.size", "384m");
    settings.put("web.tmpdir", dir.resolve("web").toString());
    settings.putAll(configuration);
    StringBuilder yaml = new StringBuilder();
    // Flat keys, every value a quoted string: what Flink's config.yaml parser reads as given.
    settings.forEach(
        (key, value) ->
            yaml.append(key)
                .append(": \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"\n"));
    Files.writeString(conf.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
    // What Flink's conf/log4j.properties does, to the console (redirected to a file per JVM).
    Files.writeString(
        conf.resolve("log4j.properties"),
        """
        rootLogger.level = INFO
        rootLogger.appenderRef.console.ref = ConsoleAppender
        appender.console.name = ConsoleAppender
        appender.console.type = CONSOLE
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
        logger.kafka.name = org.apache.kafka
        logger.kafka.level = WARN
        logger.netty.name = org.apache.flink.shaded.netty4
        logger.netty.level = WARN
        # Once a second with 1 s checkpoints: they would fill the tails that failures show.
        logger.checkpoints.name = org.apache.flink.runtime.checkpoint
        logger.checkpoints.level = WARN
        logger.sources.name = org.apache.flink.runtime.source.coordinator
        logger.sources.level = WARN
        logger.metrics.name = org.apache.flink.metrics
        logger.metrics.level = ERROR
        """,
        StandardCharsets.UTF_8);
    return conf;
  }

  /**
   * The TaskManager with the JVM options and the dynamic properties that Flink's scripts compute
   * for it with {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} (without them: "taskmanager.cpu.cores
   * not set").
   */
  private void launchTaskManager(Path conf, int index) throws Exception {
    Process utils =
        java(
            "bash-java-utils",
            List.of(),
            "org.apache.flink.runtime.util.bash.BashJavaUtils",
            List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()));
    int exit = utils.waitFor();
    List<String> output = Files.readAllLines(dir.resolve("bash-java-utils.log"));
    List<List<String>> results = new ArrayList<>();
    for (String line : output) {
      if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
        String value = line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim();
        results.add(value.isEmpty() ? List.of() : List.of(value.split(" +")));
      }
    }
    if (exit != 0 || results.size() != 2) {
      throw new AssertionError(
          "BashJavaUtils GET_TM_RESOURCE_PARAMS failed (exit " + exit + "):\n" + output);
    }
    List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
    args.addAll(results.get(1));
    java(
        "taskmanager-" + index,
        results.get(0),
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
        args);
  }

  /**
   * Flink's command line, as {@code bin/flink ARGS} runs it: {@code CliFrontend} in a client JVM on
   * the same classpath, configured by the cluster's {@code config.yaml}. Returns its output; fails
   * with it (and the cluster's logs) unless it exits with 0.
   */
  String flink(List<String> args) throws Exception {
    String name = "flink-cli-" + processes.size();
    Process cli = java(name, List.of(), "org.apache.flink.client.cli.CliFrontend", args);
    boolean exited = cli.waitFor(3, TimeUnit.MINUTES);
    String output = Files.readString(dir.resolve(name + ".log"));
    if (!exited || cli.exitValue() != 0) {
      throw new AssertionError("flink " + String.join(" ", args) + " failed:\n" + output + logs());
    }
    return output;
  }

  /** Waits until every TaskManager has registered with the JobManager. */
  void awaitTaskManagers() {
    try {
      taskManagerLaunch.join();
    } catch (CompletionException e) {
      throw new AssertionError("a TaskManager did not start" + logs(), e.getCause());
    }
    awaitOrExplain(
        taskManagers + " TaskManagers register with the JobManager",
        Duration.ofSeconds(120),
        () -> get("/taskmanagers").path("taskmanagers").size() == taskManagers);
  }

  /** The base address of the JobManager's REST API (and web UI). */
  URI rest() {
    return URI.create("http://localhost:" + restPort);
  }

  /** A GET on the REST API, parsed. */
  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(rest().resolve(path)).GET().build());
  }

  /**
   * Sends a REST request; no answer, or a status other than 2xx, fails with the response and the
   * cluster's logs.
   */
  JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed" + logs(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body()
              + logs());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }

  /**
   * Waits (generously: the machine may be busy) for {@code condition}; on timeout fails with what
   * was awaited and the JobManager's and TaskManager's logs. Exceptions inside count as "not yet".
   */
  void awaitOrExplain(String what, Duration atMost, Callable<Boolean> condition) {
    if (!waitUntil(atMost, condition)) {
      throw new AssertionError("timed out after " + atMost + " waiting until " + what + logs());
    }
  }

  /** As {@link #awaitOrExplain}, but returns false on timeout (the caller's assertion explains). */
  boolean waitUntil(Duration atMost, Callable<Boolean> condition) {
    try {
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** The last lines of every JVM's output, for failure messages. */
  String logs() {
    StringBuilder out = new StringBuilder();
    List<String> names = new ArrayList<>(List.of("jobmanager"));
    for (int i = 0; i < taskManagers; i++) {
      names.add("taskmanager-" + i);
    }
    for (String name : names) {
      out.append("\n\n----- ").append(name).append(".log (tail) -----\n");
      Path log = dir.resolve(name + ".log");
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(none)");
        lines
            .subList(Math.max(0, lines.size() - 80), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        out.append("(unreadable: ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  private Process java(String name, List<String> jvmArgs, String main, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    OPENS.forEach(p -> command.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    command.add("-Dlog4j.configurationFile=" + dir.resolve("conf").resolve("log4j.properties"));
    // Short-lived JVMs on a small, shared machine: start fast, compile and collect cheaply.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    // Where Flink's command line finds config.yaml (bin/flink sets it the same way).
    builder.environment().put("FLINK_CONF_DIR", dir.resolve("conf").toString());
    // Where Flink looks for plugins (the distribution's plugins/ directory).
    builder.environment().put("FLINK_PLUGINS_DIR", dir.resolve("plugins").toString());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every JVM (SIGTERM: Flink's shutdown hooks clean up) and waits for them. */
  @Override
  public void close() throws InterruptedException {
    try {
      taskManagerLaunch.join();
    } catch (CompletionException e) {
      // Reported by awaitTaskManagers; whatever was started is stopped below.
    }
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
