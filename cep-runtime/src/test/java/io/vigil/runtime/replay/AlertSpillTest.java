package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertSpillTest {

  @TempDir Path dir;

  @Test
  void alertsThatArriveOutOfOrderAreWrittenInAlertOrderEachLineWhole() throws Exception {
    List<ReplayLine> arrived =
        List.of(
            alert(20, "b", "2", "{\"m\":\"later, b\"}"),
            alert(10, "z", "9", "{\"m\":\"Zürich → Köln\"}"),
            alert(20, "a", "5", "{\"m\":\"later, a\"}"),
            alert(10, "z", "1", "{\"m\":\"same time and rule, smaller id\"}"));

    List<String> written = spilled(arrived, dir);

    assertThat(written)
        .containsExactly(
            "{\"m\":\"same time and rule, smaller id\"}",
            "{\"m\":\"Zürich → Köln\"}",
            "{\"m\":\"later, a\"}",
            "{\"m\":\"later, b\"}");
    assertThat(dir.resolve("spill.jsonl")).doesNotExist();
  }

  @Test
  void alertsThatArriveInOrderAreWrittenAsTheyCame() throws Exception {
    List<ReplayLine> arrived =
        List.of(alert(1, "r", "a", "{\"n\":1}"), alert(1, "r", "b", "{\"n\":2}"));

    assertThat(spilled(arrived, dir)).containsExactly("{\"n\":1}", "{\"n\":2}");
    assertThat(dir.resolve("spill.jsonl")).doesNotExist();
  }

  @Test
  void anAlertsFileThatIsALinkIsWrittenThroughTheLinkKept() throws Exception {
    Path target = dir.resolve("target.jsonl");
    Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), target);
    for (boolean inOrder : new boolean[] {true, false}) {
      try (AlertSpill spill = new AlertSpill(dir.resolve("spill.jsonl"))) {
        spill.add(alert(inOrder ? 1 : 2, "r", "a", "{\"n\":1}"));
        spill.add(alert(inOrder ? 2 : 1, "r", "b", "{\"n\":2}"));
        spill.writeSorted(link);
      }

      assertThat(Files.isSymbolicLink(link)).isTrue();
      assertThat(Files.readAllLines(target))
          .containsExactly(
              inOrder ? "{\"n\":1}" : "{\"n\":2}", inOrder ? "{\"n\":2}" : "{\"n\":1}");
    }
  }

  @Test
  void noAlertsMakeAnEmptyFile() throws Exception {
    assertThat(spilled(List.of(), dir)).isEmpty();
  }

  @Test
  void aSpillThatIsClosedWithoutWritingLeavesNoFile() throws Exception {
    Path spill = dir.resolve("spill.jsonl");
    try (AlertSpill alerts = new AlertSpill(spill)) {
      alerts.add(alert(1, "r", "a", "{}"));
    }

    assertThat(spill).doesNotExist();
  }

  @Property(tries = 200)
  void theAlertsFileHoldsEveryAlertOnceInAlertOrder(
      @ForAll("arrivals") List<ReplayLine> arrived,
      @ForAll @LongRange(min = 1, max = 64) long segmentBytes)
      throws Exception {
    // (jqwik properties get no @TempDir)
    Path work = Files.createTempDirectory("alert-spill");
    try {
      List<String> expected =
          arrived.stream().sorted(ReplayLine.ALERT_ORDER).map(ReplayLine::text).toList();

      assertThat(spilled(arrived, work, segmentBytes)).containsExactlyElementsOf(expected);
    } finally {
      Files.deleteIfExists(work.resolve("alerts.jsonl"));
      Files.deleteIfExists(work.resolve("spill.jsonl"));
      Files.delete(work);
    }
  }

  @Provide
  Arbitrary<List<ReplayLine>> arrivals() {
    Arbitrary<ReplayLine> one =
        Combinators.combine(
                Arbitraries.longs().between(0, 3),
                Arbitraries.of("r1", "r2"),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(4),
                Arbitraries.strings().withChars("ab é€\"").ofMaxLength(12))
            .as((end, rule, id, text) -> alert(end, rule, id, "{\"t\":\"" + text + "\"}"));
    // Ids are unique within a run: equal order keys never meet.
    return one.list().ofMaxSize(30).uniqueElements(ReplayLine::alertId);
  }

  private static List<String> spilled(List<ReplayLine> arrived, Path work) throws Exception {
    return spilled(arrived, work, 1L << 30);
  }

  /** The lines of the alerts file, the spill file read back in mappings of segmentBytes. */
  private static List<String> spilled(List<ReplayLine> arrived, Path work, long segmentBytes)
      throws Exception {
    Path alertsFile = work.resolve("alerts.jsonl");
    try (AlertSpill spill = new AlertSpill(work.resolve("spill.jsonl"), segmentBytes)) {
      for (ReplayLine line : arrived) {
        spill.add(line);
      }
      assertThat(spill.count()).isEqualTo(arrived.size());
      spill.writeSorted(alertsFile);
    }
    return Files.readAllLines(alertsFile, StandardCharsets.UTF_8);
  }

  private static ReplayLine alert(long endTime, String ruleId, String alertId, String json) {
    return new ReplayLine(ReplayLine.Kind.ALERT, endTime, ruleId, alertId, json);
  }
}
