package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options {@code ./vigil run} chooses ({@code launcher/run-options.sh}): the throughput
 * collector, C1 only for a small events file and C2 with less inlining for a large one, transparent
 * huge pages where the kernel gives them on request, and the user's {@code VIGIL_JAVA_OPTS} last,
 * its own collector replacing ours; and those of {@code ./vigil job}: the same lesser inlining, the
 * JVM's own collector. A JVM starts with each.
 */
class RunOptionsLauncherTest {

  private static final Path SCRIPT = Path.of("..", "launcher", "run-options.sh").toAbsolutePath();

  /** Default maximum heaps that stand for a machine with 16 GB and with 4 GB of memory. */
  private static final String LARGE_HEAP = String.valueOf(4L << 30);

  private static final String SMALL_HEAP = String.valueOf(1L << 30);

  /** The kernel's transparent huge page settings, as {@code /sys/kernel/mm} shows them. */
  private static final String THP_ON_REQUEST = "always [madvise] never";

  private static final String THP_OFF = "always madvise [never]";

  /** The options of C2 on a large events file: less inlining, ten times the JVM's thresholds. */
  private static final List<String> LARGE_FILE_JIT =
      List.of(
          "-XX:FreqInlineSize=100",
          "-XX:InlineSmallCode=1000",
          "-XX:Tier4InvocationThreshold=50000",
          "-XX:Tier4MinInvocationThreshold=6000",
          "-XX:Tier4CompileThreshold=150000",
          "-XX:Tier4BackEdgeThreshold=400000");

  @TempDir Path dir;

  @Test
  void aSmallEventsFileRunsOnC1OnlyALargeOneOnC2WithLessInliningAndLaterCompiles()
      throws Exception {
    Path small = dir.resolve("small.jsonl");
    Files.writeString(small, "{}\n");
    Path large = dir.resolve("large.jsonl");
    try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
      file.setLength(32L * 1024 * 1024);
    }

    assertThat(options(Map.of(), "--rules", "r", "--events", small.toString()))
        .containsExactly("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");
    assertThat(options(Map.of("VIGIL_DEFAULT_MAX_HEAP", SMALL_HEAP), "--events=" + large))
        .containsExactlyElementsOf(flags("-XX:+UseParallelGC", LARGE_FILE_JIT));
    // No events file to measure (a missing one is the command's error to report): C2.
    assertThat(options(Map.of(), "--events", dir.resolve("missing").toString()))
        .contains("-XX:FreqInlineSize=100");
  }

  @Test
  void aLargeEventsFileGetsAFixedYoungGenerationWhereTheHeapHasRoomForIt() throws Exception {
    Path large = dir.resolve("large.jsonl");
    try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
      file.setLength(32L * 1024 * 1024);
    }

    List<String> roomy =
        options(Map.of("VIGIL_DEFAULT_MAX_HEAP", LARGE_HEAP), "--events", large.toString());
    assertThat(roomy)
        .containsExactlyElementsOf(flags("-XX:+UseParallelGC", LARGE_FILE_JIT, "-Xmn1g", "-Xms3g"));
    assertThat(options(Map.of("VIGIL_DEFAULT_MAX_HEAP", SMALL_HEAP), "--events", large.toString()))
        .doesNotContain("-Xmn1g", "-Xms3g");
    // A JVM that cannot tell its heap leaves it to itself.
    assertThat(options(Map.of("VIGIL_DEFAULT_MAX_HEAP", "unknown"), "--events", large.toString()))
        .doesNotContain("-Xmn1g", "-Xms3g");
    // A heap the user sizes is theirs: -Xms3g beside -Xmx2g would not even start.
    List<String> sized =
        options(
            Map.of("VIGIL_DEFAULT_MAX_HEAP", LARGE_HEAP, "VIGIL_JAVA_OPTS", "-Xmx2g"),
            "--events",
            large.toString());
    assertThat(sized).doesNotContain("-Xmn1g", "-Xms3g").endsWith("-Xmx2g");
    assertThat(javaVersionStarts(sized)).isTrue();
    // On this machine, whatever the JVM's own maximum heap is, the options start a JVM.
    assertThat(javaVersionStarts(optionsOnThisMachine(Map.of(), "--events", large.toString())))
        .isTrue();
  }

  @Test
  void theUsersOptionsComeLastAndTheirCollectorReplacesOurs() throws Exception {
    Path small = dir.resolve("small.jsonl");
    Files.writeString(small, "{}\n");

    List<String> serial =
        options(Map.of("VIGIL_JAVA_OPTS", "-XX:+UseSerialGC -Xmx1g"), "--events", small.toString());
    assertThat(serial).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g");
    assertThat(javaVersionStarts(serial)).isTrue();

    List<String> g1 =
        options(Map.of("VIGIL_JAVA_OPTS", "-XX:+UseG1GC -XX:TieredStopAtLevel=4"), "--events", "x");
    assertThat(g1).doesNotContain("-XX:+UseParallelGC").endsWith("-XX:TieredStopAtLevel=4");
    assertThat(javaVersionStarts(g1)).isTrue();
    assertThat(javaVersionStarts(optionsOnThisMachine(Map.of(), "--events", small.toString())))
        .isTrue();
  }

  @Test
  void transparentHugePagesAreAskedForWhereTheKernelGivesThemOnRequestOnly() throws Exception {
    Path small = dir.resolve("small.jsonl");
    Files.writeString(small, "{}\n");

    List<String> onRequest =
        options(Map.of("VIGIL_THP_MODE", THP_ON_REQUEST), "--events", small.toString());
    assertThat(onRequest).endsWith("-XX:+UseTransparentHugePages");
    assertThat(javaVersionStarts(onRequest)).isTrue();
    // Given to every process anyway, or not at all (the option would only print a warning).
    assertThat(options(Map.of("VIGIL_THP_MODE", "[always] madvise never"), "--events", "x"))
        .doesNotContain("-XX:+UseTransparentHugePages");
    assertThat(options(Map.of("VIGIL_THP_MODE", THP_OFF), "--events", "x"))
        .doesNotContain("-XX:+UseTransparentHugePages");
    // The user's choice of pages is theirs.
    assertThat(
            options(
                Map.of(
                    "VIGIL_THP_MODE",
                    THP_ON_REQUEST,
                    "VIGIL_JAVA_OPTS",
                    "-XX:-UseTransparentHugePages"),
                "--events",
                "x"))
        .doesNotContain("-XX:+UseTransparentHugePages")
        .endsWith("-XX:-UseTransparentHugePages");
    // On this machine, whatever its kernel's setting, the JVM takes the options without a word.
    List<String> here = optionsOnThisMachine(Map.of(), "--events", small.toString());
    assertThat(javaVersionOutput(here)).doesNotContainIgnoringCase("warning");
  }

  @Test
  void theDefaultMaximumHeapIsWorkedOutAsTheJvmWorksItOut() throws Exception {
    Map<String, String> plain = new java.util.HashMap<>();
    plain.put("JAVA_TOOL_OPTIONS", "");
    plain.put("JDK_JAVA_OPTIONS", "");
    long launcher = Long.parseLong(launcher("default_max_heap_bytes", plain).get(0));

    ProcessBuilder ask =
        new ProcessBuilder("java", "-XX:+UseParallelGC", "-XX:+PrintFlagsFinal", "-version");
    ask.environment().remove("JAVA_TOOL_OPTIONS");
    ask.environment().remove("JDK_JAVA_OPTIONS");
    Process java = ask.redirectErrorStream(true).start();
    String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    java.waitFor();
    long jvm =
        flags
            .lines()
            .map(String::trim)
            .filter(line -> line.matches("size_t MaxHeapSize\\s+=.*"))
            .map(line -> Long.parseLong(line.split("\\s+")[3]))
            .findFirst()
            .orElseThrow();
    // The JVM rounds the quarter to its heap alignment.
    assertThat((double) launcher)
        .isCloseTo(jvm, org.assertj.core.data.Percentage.withPercentage(1));

    // Options the JVM reads from the environment may size the heap: then the JVM is asked.
    assertThat(launcher("default_max_heap_bytes", Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g")))
        .containsExactly(String.valueOf(1L << 30));
  }

  @Test
  void theLiveJobInlinesLessAndKeepsTheJvmsCollector() throws Exception {
    assertThat(jobOptions(Map.of()))
        .containsExactly("-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000");
    assertThat(jobOptions(Map.of("VIGIL_JAVA_OPTS", "-XX:FreqInlineSize=325 -Xmx2g")))
        .containsExactly(
            "-XX:FreqInlineSize=100",
            "-XX:InlineSmallCode=1000",
            "-XX:FreqInlineSize=325",
            "-Xmx2g");
    assertThat(javaVersionOutput(jobOptions(Map.of()))).doesNotContainIgnoringCase("warning");
  }

  /** Options and lists of them, in order. */
  private static List<String> flags(Object... parts) {
    List<String> all = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof List<?> list) {
        list.forEach(o -> all.add((String) o));
      } else {
        all.add((String) part);
      }
    }
    return all;
  }

  private List<String> jobOptions(Map<String, String> env) throws Exception {
    return launcher("job_java_options", env);
  }

  /** The options, on a machine whose kernel gives no transparent huge pages (unless env says). */
  private List<String> options(Map<String, String> env, String... args) throws Exception {
    Map<String, String> machine = new java.util.HashMap<>(env);
    machine.putIfAbsent("VIGIL_THP_MODE", THP_OFF);
    return optionsOnThisMachine(machine, args);
  }

  private List<String> optionsOnThisMachine(Map<String, String> env, String... args)
      throws Exception {
    return launcher("run_java_options", env, args);
  }

  /**
   * What the launcher's {@code function} prints for {@code args} in the environment {@code env}.
   */
  private List<String> launcher(String function, Map<String, String> env, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add("set -euo pipefail; source \"$0\"; " + function + " \"$@\"");
    command.add(SCRIPT.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("VIGIL_JAVA_OPTS");
    builder.environment().remove("VIGIL_THP_MODE");
    builder.environment().putAll(env);
    Process process = builder.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return List.of(out.trim().split("\\s+"));
  }

  /** Whether a JVM starts with {@code options} (it refuses, e.g., two collectors). */
  private static boolean javaVersionStarts(List<String> options) throws Exception {
    return javaVersion(options).exitCode() == 0;
  }

  /** What a JVM started with {@code options} prints for {@code -version}; it must start. */
  private static String javaVersionOutput(List<String> options) throws Exception {
    JavaVersion run = javaVersion(options);
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output();
  }

  private record JavaVersion(int exitCode, String output) {}

  private static JavaVersion javaVersion(List<String> options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-version");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new JavaVersion(process.waitFor(), output);
  }
}
