package io.vigil.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.samples.generate.FraudScenario;
import io.vigil.samples.generate.GeneratedEvent;
import io.vigil.samples.generate.IotScenario;
import io.vigil.samples.generate.Scenario;
import io.vigil.samples.groundtruth.IncidentLabels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code generate fraud|iot}: writes a replay file for {@code vigil run}. */
@Command(
    name = "vigil-samples",
    mixinStandardHelpOptions = true,
    description = "Generates sample event streams (JSON Lines) with planted incidents.")
public final class SamplesMain implements Callable<Integer> {

  enum Kind {
    fraud,
    iot
  }

  @Parameters(index = "0", description = "fraud or iot")
  Kind kind;

  @Option(names = "--seed", description = "random seed (default: the demo's)")
  Long seed;

  @Option(names = "--out", description = "file to write (default: stdout)")
  Path out;

  @Option(names = "--start", description = "event time of the first event (ISO-8601)")
  Instant start;

  @Option(
      names = "--labels",
      description = "also write the planted incidents' labels (JSON Lines) to this file")
  Path labels;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SamplesMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Scenario scenario =
        switch (kind) {
          case fraud -> {
            FraudScenario.Config d = FraudScenario.Config.demo();
            yield FraudScenario.labelled(
                new FraudScenario.Config(
                    start == null ? d.start() : start,
                    d.cards(),
                    d.payments(),
                    d.planted(),
                    seed == null ? d.seed() : seed));
          }
          case iot -> {
            IotScenario.Config d = IotScenario.Config.demo();
            yield IotScenario.labelled(
                new IotScenario.Config(
                    start == null ? d.start() : start,
                    d.devices(),
                    d.span(),
                    seed == null ? d.seed() : seed));
          }
        };
    List<GeneratedEvent> events = scenario.events();
    if (labels != null) {
      try (PrintStream ps = new PrintStream(Files.newOutputStream(labels), false, "UTF-8")) {
        IncidentLabels.write(scenario.incidents(), ps);
      }
    }
    if (out == null) {
      write(events, System.out);
    } else {
      try (PrintStream ps = new PrintStream(Files.newOutputStream(out), false, "UTF-8")) {
        write(events, ps);
      }
    }
    return 0;
  }

  static void write(List<GeneratedEvent> events, PrintStream out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (GeneratedEvent e : events) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("stream", e.stream());
      line.put("event", e.event());
      out.println(json.writeValueAsString(line));
    }
  }
}
