package io.vigil.samples.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.compiler.event.DecodeResult;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.check.Checker;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generated events are valid for the streams declared in samples/streams.vgl. */
class GeneratedEventsTest {

  static Map<String, StreamSchema> streams() throws Exception {
    Path file = Path.of("streams.vgl");
    return Checker.check(List.of(new SourceFile("streams.vgl", Files.readString(file))))
        .program()
        .streams();
  }

  @Test
  void everyFraudEventDecodesAgainstItsDeclaredStream() throws Exception {
    assertAllDecode(FraudScenario.generate(FraudScenario.Config.demo()));
  }

  @Test
  void everyIotEventDecodesAgainstItsDeclaredStream() throws Exception {
    assertAllDecode(IotScenario.generate(IotScenario.Config.demo()));
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    assertThat(FraudScenario.generate(FraudScenario.Config.demo()))
        .isEqualTo(FraudScenario.generate(FraudScenario.Config.demo()));
  }

  @Test
  void eventsArriveOutOfOrderByLessThanTheStreamsLateness() {
    List<GeneratedEvent> events = IotScenario.generate(IotScenario.Config.demo());
    long maxSeen = Long.MIN_VALUE;
    long worstLateness = 0;
    boolean disordered = false;
    for (GeneratedEvent e : events) {
      long t = e.time().toEpochMilli();
      if (t < maxSeen) {
        disordered = true;
        worstLateness = Math.max(worstLateness, maxSeen - t);
      }
      maxSeen = Math.max(maxSeen, t);
    }
    assertThat(disordered).isTrue();
    assertThat(worstLateness).isLessThan(10_000);
  }

  private static void assertAllDecode(List<GeneratedEvent> events) throws Exception {
    Map<String, StreamSchema> streams = streams();
    ObjectMapper json = new ObjectMapper();
    assertThat(events).isNotEmpty();
    for (GeneratedEvent e : events) {
      EventDecoder decoder = new EventDecoder(streams.get(e.stream()));
      DecodeResult result = decoder.decode(json.writeValueAsString(e.event()));
      assertThat(result.rejection()).as(e.toString()).isEmpty();
      assertThat(result.decoded().orElseThrow().timestamp()).isEqualTo(e.time().toEpochMilli());
    }
  }
}
