package io.vigil.alert.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArchivePropertiesTest {
  private static final ArchiveProperties.Parquet NO_PARQUET =
      new ArchiveProperties.Parquet("", Duration.ofMinutes(5), 20_000);

  @Test
  void theArchiveIsOffWithoutAJdbcUrl() {
    assertThat(new ArchiveProperties("", "", "", "g", 4, 100, 1000, NO_PARQUET).enabled())
        .isFalse();
    assertThat(NO_PARQUET.root()).isEmpty();
  }

  @Test
  void aDefaultPageLargerThanTheMaximumIsRefusedWithBothOptionNames() {
    assertThatThrownBy(
            () ->
                new ArchiveProperties("jdbc:postgresql:x", "", "", "g", 4, 2000, 1000, NO_PARQUET))
        .hasMessageContaining("vigil.archive.default-page-size")
        .hasMessageContaining("vigil.archive.max-page-size");
  }

  @Test
  void aZeroExportIntervalIsRefused() {
    assertThatThrownBy(() -> new ArchiveProperties.Parquet("/data", Duration.ZERO, 10))
        .hasMessageContaining("vigil.archive.parquet.export-interval");
  }
}
