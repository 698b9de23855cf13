package io.vigil.compiler.drools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.compiler.Samples;
import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.event.DecodeResult;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DRL packs in samples/drools compile against the sample streams and decide on their events.
 */
class DecisionSamplesTest {

  static final Map<String, StreamSchema> STREAMS =
      RuleCompiler.compile(RuleFiles.read(List.of(Samples.ROOT.resolve("streams.vgl")))).streams();
  static final ObjectMapper JSON = new ObjectMapper();

  static DecisionRuleSet pack(String file) {
    SourceFile source =
        RuleFiles.readWithDecisions(List.of(Samples.ROOT.resolve("drools").resolve(file))).get(0);
    DecisionCompilation compilation = DecisionCompiler.compile(source, STREAMS);
    assertThat(compilation.diagnostics()).as(compilation.render()).isEmpty();
    return compilation.ruleSet().orElseThrow();
  }

  /** "eventId rule severity key" of every alert the pack raises over a sample event file. */
  static List<String> decideAll(DecisionRuleSet rules, String events) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Samples.ROOT.resolve("events").resolve(events))) {
      JsonNode record = JSON.readTree(line);
      String stream = record.get("stream").asText();
      if (!rules.streams().contains(stream)) {
        continue;
      }
      DecodeResult decoded = new EventDecoder(STREAMS.get(stream)).decode(record.get("event"));
      var event = ((DecodeResult.Decoded) decoded).event();
      for (RaisedAlert alert : rules.decide(event)) {
        out.add(
            event.value(0)
                + " "
                + alert.rule()
                + " "
                + alert.severityKeyword()
                + " "
                + alert.dedupKey());
      }
    }
    return out;
  }

  @Test
  void theFraudPackBandsTheSamplePaymentsByAmountCategoryAndChannel() throws IOException {
    List<String> raised = decideAll(pack("fraud_risk_banding.drl"), "fraud.jsonl");
    assertThat(raised)
        .containsExactlyInAnyOrder(
            "p-733 critical amount critical band:critical",
            "p-750 critical amount critical band:critical",
            "p-725 large amount in a risky category high band:high",
            "p-736 large amount in a risky category high band:high",
            "p-737 large amount in a risky category high band:high",
            "p-742 large amount in a risky category high band:high",
            "p-753 large amount in a risky category high band:high",
            "p-754 large amount in a risky category high band:high",
            "p-721 many tiny donations low band:probe",
            "p-722 many tiny donations low band:probe",
            "p-723 many tiny donations low band:probe",
            "p-724 many tiny donations low band:probe",
            "p-738 many tiny donations low band:probe",
            "p-739 many tiny donations low band:probe",
            "p-740 many tiny donations low band:probe",
            "p-741 many tiny donations low band:probe");
  }

  @Test
  void theIotPackEscalatesHotAndVibratingDevices() throws IOException {
    List<String> raised = decideAll(pack("iot_maintenance_escalation.drl"), "iot.jsonl");
    assertThat(raised)
        .containsExactlyInAnyOrder(
            "r-641 very hot: page on-call critical escalation:page",
            "r-642 very hot: page on-call critical escalation:page",
            "r-643 very hot: page on-call critical escalation:page",
            "r-647 very hot: page on-call critical escalation:page",
            "r-645 hot: maintenance ticket medium escalation:ticket",
            "r-646 hot: maintenance ticket medium escalation:ticket",
            "r-674 heavy vibration: inspection high escalation:inspection",
            "r-675 heavy vibration: inspection high escalation:inspection",
            "r-676 heavy vibration: inspection high escalation:inspection",
            "r-677 heavy vibration: inspection high escalation:inspection");
  }
}
