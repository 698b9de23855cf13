package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.runtime.Samples;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import java.io.IOException;
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
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime on a real multi-process Flink session cluster: a JobManager and a TaskManager JVM
 * started from the test's classpath, the job submitted through the REST API (remote environment).
 * The sample replay must give exactly the alerts of the same replay on an embedded MiniCluster.
 */
class SessionClusterTest {

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

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopCluster() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      p.waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Process java(String name, List<String> jvmArgs, String main, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    OPENS.forEach(p -> command.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(process);
    return process;
  }

  /** The JVM options and dynamic properties Flink's scripts would give a TaskManager. */
  private List<List<String>> taskManagerParameters(Path conf) throws Exception {
    Process utils =
        java(
            "bash-java-utils",
            List.of(),
            "org.apache.flink.runtime.util.bash.BashJavaUtils",
            List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()));
    assertThat(utils.waitFor()).isZero();
    List<List<String>> results = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("bash-java-utils.log"))) {
      if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
        String value = line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim();
        results.add(value.isEmpty() ? List.of() : List.of(value.split(" +")));
      }
    }
    assertThat(results).hasSize(2);
    return results;
  }

  @Test
  void theSampleReplayOnASessionClusterGivesTheAlertsOfTheEmbeddedOne() throws Exception {
    int rest = freePort();
    int rpc = freePort();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        """
        jobmanager.rpc.address: localhost
        jobmanager.rpc.port: %d
        jobmanager.bind-host: localhost
        rest.address: localhost
        rest.bind-address: localhost
        rest.port: %d
        taskmanager.host: localhost
        taskmanager.bind-host: localhost
        jobmanager.memory.process.size: 768m
        taskmanager.memory.process.size: 1024m
        taskmanager.numberOfTaskSlots: 4
        """
            .formatted(rpc, rest),
        StandardCharsets.UTF_8);
    List<List<String>> tm = taskManagerParameters(conf);
    java(
        "jobmanager",
        List.of("-Xmx512m"),
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
        List.of("--configDir", conf.toString()));
    List<String> tmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
    tmArgs.addAll(tm.get(1));
    java(
        "taskmanager",
        tm.get(0),
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
        tmArgs);

    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://localhost:" + rest + "/taskmanagers"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"slotsNumber\":4"));

    List<RuleCommand> commands = RuleSources.commands(RuleFiles.read(List.of(Samples.dir())), 1);
    Path events = Samples.dir().resolve("events").resolve("iot.jsonl");
    StreamExecutionEnvironment remote =
        StreamExecutionEnvironment.createRemoteEnvironment("localhost", rest, new Configuration());
    remote.setParallelism(2);
    RunCommand.Result onCluster = RunCommand.replay(remote, commands, events, 2);

    // The job did run there (and not in this JVM).
    assertThat(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + rest + "/jobs/overview"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .contains("\"name\":\"vigil run\"")
        .contains("\"state\":\"FINISHED\"");

    StreamExecutionEnvironment local = StreamExecutionEnvironment.createLocalEnvironment(2);
    RunCommand.Result embedded = RunCommand.replay(local, commands, events, 2);

    assertThat(onCluster.alerts()).isNotEmpty();
    assertThat(onCluster.alerts())
        .extracting(Alert::alertId)
        .containsExactlyElementsOf(embedded.alerts().stream().map(Alert::alertId).toList());
  }
}
