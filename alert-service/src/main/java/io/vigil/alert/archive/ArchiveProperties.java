package io.vigil.alert.archive;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The alert archive: every ingested alert once in a relational database, and from there in Parquet
 * files. Off unless {@code jdbcUrl} is set; the service then runs as without an archive.
 *
 * @param jdbcUrl the database, e.g. {@code jdbc:postgresql://db:5432/vigil}; empty: no archive
 * @param username database user
 * @param password database password
 * @param consumerGroup the archive's own Kafka consumer group on the alerts topic, so that a
 *     database outage delays the archive, never the delivery of alerts
 * @param poolSize database connections kept open
 * @param defaultPageSize alerts per page of {@code GET /api/archive/alerts} without {@code limit}
 * @param maxPageSize the largest {@code limit} accepted
 * @param parquet the Parquet export
 */
@Validated
@ConfigurationProperties("vigil.archive")
public record ArchiveProperties(
    @DefaultValue("") String jdbcUrl,
    @DefaultValue("") String username,
    @DefaultValue("") String password,
    @NotBlank @DefaultValue("vigil-alert-archive") String consumerGroup,
    @Min(1) @Max(64) @DefaultValue("4") int poolSize,
    @Min(1) @Max(10_000) @DefaultValue("100") int defaultPageSize,
    @Min(1) @Max(10_000) @DefaultValue("1000") int maxPageSize,
    @Valid @NotNull @DefaultValue Parquet parquet) {

  public ArchiveProperties {
    if (defaultPageSize > maxPageSize) {
      throw new IllegalArgumentException(
          "vigil.archive.default-page-size ("
              + defaultPageSize
              + ") must not exceed vigil.archive.max-page-size ("
              + maxPageSize
              + ")");
    }
  }

  public boolean enabled() {
    return !jdbcUrl.isBlank();
  }

  /**
   * @param directory root of the Hive-style layout {@code date=…/rule=…/part-….parquet}; empty: no
   *     Parquet export
   * @param exportInterval pause between two export runs
   * @param maxBatchRows the most alerts one export batch (hence one run) claims
   */
  public record Parquet(
      @DefaultValue("") String directory,
      @NotNull @DefaultValue("5m") Duration exportInterval,
      @Min(1) @Max(1_000_000) @DefaultValue("20000") int maxBatchRows) {
    public Parquet {
      if (exportInterval.isNegative() || exportInterval.isZero()) {
        throw new IllegalArgumentException(
            "vigil.archive.parquet.export-interval must be positive, was " + exportInterval);
      }
    }

    public Optional<Path> root() {
      return directory.isBlank() ? Optional.empty() : Optional.of(Path.of(directory));
    }
  }
}
