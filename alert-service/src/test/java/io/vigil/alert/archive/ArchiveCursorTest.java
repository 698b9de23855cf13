package io.vigil.alert.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArchiveCursorTest {
  @Test
  void aCursorDecodesToTheAlertItWasMadeFrom() {
    ArchiveCursor cursor =
        new ArchiveCursor(Instant.parse("2026-03-01T22:00:00.123456Z"), "a b/c=d");
    assertThat(ArchiveCursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void aForeignCursorIsRefusedWithTheReason() {
    assertThatThrownBy(() -> ArchiveCursor.decode("bm90IGEgY3Vyc29y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one this service returned");
  }

  @Test
  void partitionValuesAreEscapedTheWayHiveDoes() {
    assertThat(ParquetExport.Partition.escape("card_testing-v2.1")).isEqualTo("card_testing-v2.1");
    assertThat(ParquetExport.Partition.escape("a/b=c d")).isEqualTo("a%2Fb%3Dc%20d");
  }
}
