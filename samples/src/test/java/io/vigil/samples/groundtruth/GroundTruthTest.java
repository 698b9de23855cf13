package io.vigil.samples.groundtruth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.samples.generate.FraudScenario;
import io.vigil.samples.generate.Incident;
import io.vigil.samples.generate.IotScenario;
import io.vigil.samples.generate.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample rule packs against the incidents the generators plant: the labels beside the replay
 * files are what the generators write, and every planted incident is found by its rule when the
 * replay runs through the real engine.
 */
class GroundTruthTest {

  private static final Path EVENTS = Path.of("events");

  private static String labels(Scenario scenario) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      IncidentLabels.write(scenario.incidents(), out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theCommittedLabelsAreWhatTheGeneratorsPlant() throws Exception {
    assertThat(Files.readString(EVENTS.resolve("fraud.labels.jsonl")))
        .isEqualTo(labels(FraudScenario.labelled(FraudScenario.Config.demo())));
    assertThat(Files.readString(EVENTS.resolve("iot.labels.jsonl")))
        .isEqualTo(labels(IotScenario.labelled(IotScenario.Config.demo())));
  }

  @Test
  void everyRuleOfThePacksHasPlantedIncidentsAndLabelsReadBack() throws Exception {
    List<Incident> fraud = IncidentLabels.read(EVENTS.resolve("fraud.labels.jsonl"));
    List<Incident> iot = IncidentLabels.read(EVENTS.resolve("iot.labels.jsonl"));
    assertThat(fraud).isEqualTo(FraudScenario.labelled(FraudScenario.Config.demo()).incidents());
    assertThat(fraud.stream().map(Incident::rule).distinct())
        .containsExactlyInAnyOrder(
            "card_testing", "account_takeover", "impossible_travel", "split_purchases");
    assertThat(iot.stream().map(Incident::rule).distinct())
        .containsExactlyInAnyOrder(
            "overheating_unattended",
            "device_silent",
            "repair_overdue",
            "vibration_burst",
            "flapping_sensor");
  }

  @Test
  void theFraudPackFindsEveryPlantedFraud() throws Exception {
    assertFindsEverything("fraud");
  }

  @Test
  void theIotPackFindsEveryPlantedIncident() throws Exception {
    assertFindsEverything("iot");
  }

  private static void assertFindsEverything(String pack) throws Exception {
    Path events = EVENTS.resolve(pack + ".jsonl");
    List<Incident> labels = IncidentLabels.read(IncidentLabels.besideEvents(events));
    Scorecard card =
        ScoreMain.score(List.of(Path.of("streams.vgl"), Path.of(pack)), events, labels);
    Files.writeString(Path.of("target", pack + "-scorecard.md"), card.markdown());
    assertThat(card.rows()).isNotEmpty();
    for (Scorecard.Row row : card.rows()) {
      assertThat(row.incidents()).as(row.rule() + " has planted incidents").isPositive();
      assertThat(row.recall()).as(row.rule() + " recall\n" + card.markdown()).isEqualTo(1.0);
    }
  }
}
